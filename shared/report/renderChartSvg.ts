import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { CvsError } from '../errors.ts';

/** A chart spec that Vega could not draw (its dataflow logged an error). */
export class ChartRenderError extends CvsError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ChartRenderError';
  }
}

/** A Vega logger that keeps errors (Vega logs dataflow errors instead of throwing them) and drops the rest. */
function collectingLogger(errors: string[]) {
  let level = 1;
  const logger = {
    level(l?: number) {
      if (l === undefined) return level;
      level = l;
      return logger;
    },
    error(...args: unknown[]) {
      errors.push(args.map((a) => (a instanceof Error ? a.message : String(a))).join(' '));
      return logger;
    },
    warn: () => logger,
    info: () => logger,
    debug: () => logger,
  };
  return logger;
}

/**
 * Compiles a Vega-Lite spec (inline data only) to Vega and renders it to an SVG string with Vega's headless view
 * (no DOM, no network); throws ChartRenderError when Vega reports an error while drawing.
 */
export async function renderChartSvg(spec: TopLevelSpec): Promise<string> {
  const errors: string[] = [];
  const vegaSpec = compile(spec, { logger: collectingLogger([]) as never }).spec;
  const view = new View(parse(vegaSpec), {
    renderer: 'none',
    logger: collectingLogger(errors) as never,
  });
  try {
    const svg = await view.toSVG();
    if (errors.length) throw new ChartRenderError(`the chart could not be drawn: ${errors[0]}`);
    return svg;
  } finally {
    view.finalize();
  }
}
