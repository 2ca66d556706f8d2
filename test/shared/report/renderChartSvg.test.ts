import { describe, expect, it } from 'vitest';
import { ChartRenderError, renderChartSvg } from '../../../shared/report/renderChartSvg.ts';

describe('Function: renderChartSvg', () => {
  it('renders a Vega-Lite bar chart to an SVG with one bar per row', async () => {
    // Prepare
    const spec = {
      data: {
        values: [
          { a: 'x', b: 1 },
          { a: 'y', b: 3 },
        ],
      },
      mark: 'bar',
      encoding: { x: { field: 'a', type: 'nominal' }, y: { field: 'b', type: 'quantitative' } },
    } as const;
    // Act
    const svg = await renderChartSvg(spec);
    // Assess
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/aria-roledescription="bar"/g)).toHaveLength(2);
  });

  it('throws ChartRenderError when Vega reports an error while drawing', async () => {
    // Prepare: a piecewise log colour scale over a value of 0 breaks Vega's scale
    const spec = {
      data: {
        values: [
          { a: 'x', v: 0 },
          { a: 'y', v: 0.5 },
        ],
      },
      mark: 'rect',
      encoding: {
        x: { field: 'a', type: 'nominal' },
        color: {
          field: 'v',
          type: 'quantitative',
          scale: { type: 'log', scheme: 'blueorange', domainMid: 1 },
        },
      },
    } as const;
    // Act & Assess
    await expect(renderChartSvg(spec)).rejects.toBeInstanceOf(ChartRenderError);
  });
});
