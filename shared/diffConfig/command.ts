import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../config/load.ts';
import { diffConfig, diffConfigText } from './diffConfig.ts';

/** Declares `cvs diff-config`: a dry run of a finished run with another config; nothing in the run is written. */
export function diffConfigCommand(program: Command): void {
  program
    .command('diff-config')
    .description(
      'dry run: re-score a finished run with another config and show what would change (writes no run)',
    )
    .requiredOption('-r, --run <dir>', 'run folder, e.g. out/runs/2024-10-31')
    .requiredOption('-c, --config <file>', 'the new scoring config (JSON)')
    .option('--out <file>', 'also write the comparison as JSON to this file')
    .addHelpText(
      'after',
      '\nExample:\n  $ cvs diff-config --run out/runs/2024-10-31 --config new.json --out diff.json',
    )
    .action(async (opts) => {
      const config = await loadConfig(opts.config);
      const diff = await diffConfig({ runDir: opts.run, config, configFile: opts.config });
      if (opts.out)
        await writeFile(resolve(opts.out), `${JSON.stringify(diff, null, 2)}\n`, 'utf8');
      console.log(diffConfigText(diff));
    });
}
