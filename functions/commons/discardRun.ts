import { z } from 'zod';
import {
  discardStagedRun,
  type RunFolderStore,
  stagingPrefix,
} from '../../shared/pipeline/runFolder.ts';

/** Input from the state machine's Catch path: the failed execution's run id. */
export const discardRunInput = z.object({ runId: z.string().min(1) });

/** Deletes the staged outputs of a failed run, so nothing of it can be taken for a finished run. */
export async function discardRun(
  store: RunFolderStore,
  input: z.infer<typeof discardRunInput>,
): Promise<{ discarded: number }> {
  return { discarded: await discardStagedRun(store, stagingPrefix(input.runId)) };
}
