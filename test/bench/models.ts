// Model benchmark: prints figures, asserts nothing. Run: npx tsx test/bench/models.ts [--compare-ml]
//   [--sizes=1000,10000,100000] [--trees=100] [--depth=12] [--score-rows=1000000] [--jobs=1,2]
import { pathToFileURL } from 'node:url';
import { RandomForestClassifier } from 'ml-random-forest';
import { serializeForest } from '../../shared/models/forestSerialization.ts';
import { fitKMeans } from '../../shared/models/kmeans.ts';
import {
  fitLogisticRegression,
  predictProbaLogistic,
} from '../../shared/models/logisticRegression.ts';
import { accuracy, rocAuc } from '../../shared/models/metrics.ts';
import {
  fitRandomForest,
  predictProba,
  type RandomForestModel,
} from '../../shared/models/randomForest.ts';
import { fitStandardize, standardize } from '../../shared/models/standardize.ts';
import { stratifiedSplit } from '../../shared/models/stratifiedSplit.ts';
import { syntheticAccounts } from '../shared/models/syntheticAccounts.ts';

/** Options of the model benchmark. */
export interface ModelBenchOptions {
  /** Account counts (70% train, 30% holdout). @default [1000, 10000, 100000] */
  sizes: number[];
  /** Trees per forest. @default 100 */
  nEstimators: number;
  /** Forest maxDepth. @default 12 */
  maxDepth: number;
  /** nJobs values to time the forest with. @default [1, 2] */
  jobs: number[];
  /** Rows scored in the throughput run (the largest size's table, tiled). @default 1000000 */
  scoreRows: number;
  /** Also time ml-random-forest at 10k accounts (minutes); 1k is always timed when in sizes. @default false */
  compareMl: boolean;
  /** Where lines go. @default console.log */
  print: (line: string) => void;
}

/** One line of the benchmark table. */
export interface ModelBenchRow {
  task: string;
  rows: number;
  seconds: number;
  /** CPU seconds of the whole process (all threads) during the task; the machine may be shared. */
  cpuSeconds: number;
  auc: number | null;
  accuracy: number | null;
  peakRssMb: number;
  note: string;
}

const peakRssMb = (): number => process.resourceUsage().maxRSS / 1024;
/** Starts a clock; calling the result gives wall and process CPU (all threads) seconds since the start. */
function startClock(): () => { seconds: number; cpuSeconds: number } {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  return () => {
    const c = process.cpuUsage(c0);
    return { seconds: (performance.now() - t0) / 1000, cpuSeconds: (c.user + c.system) / 1e6 };
  };
}

function format(rows: ModelBenchRow[]): string[] {
  const head = ['task', 'rows', 'seconds', 'cpu s', 'auc', 'accuracy', 'peak RSS MB', 'note'];
  const cells = rows.map((r) => [
    r.task,
    String(r.rows),
    r.seconds.toFixed(2),
    r.cpuSeconds.toFixed(2),
    r.auc === null ? '' : r.auc.toFixed(4),
    r.accuracy === null ? '' : r.accuracy.toFixed(4),
    r.peakRssMb.toFixed(0),
    r.note,
  ]);
  const width = head.map((h, c) => Math.max(h.length, ...cells.map((row) => row[c].length)));
  const line = (cols: string[]) => `| ${cols.map((v, c) => v.padEnd(width[c])).join(' | ')} |`;
  return [line(head), line(width.map((w) => '-'.repeat(w))), ...cells.map(line)];
}

function mlForest(
  Xtr: number[][],
  ytr: number[],
  Xte: number[][],
  nEstimators: number,
  maxDepth: number,
) {
  const rf = new RandomForestClassifier({
    seed: 3,
    maxFeatures: 5,
    replacement: false,
    nEstimators,
    treeOptions: { maxDepth },
    noOOB: true,
  });
  const stop = startClock();
  rf.train(Xtr, ytr);
  const fit = stop();
  const votes = rf.predictionValues(Xte);
  const scores = Xte.map(
    (_, i) => votes.getRow(i).reduce((s: number, v: number) => s + v, 0) / nEstimators,
  );
  return { fit, scores };
}

/** Runs the model benchmark (forest fit per size and nJobs, scoring throughput, baselines) and prints a table. */
export async function runModelBench(
  options: Partial<ModelBenchOptions> = {},
): Promise<ModelBenchRow[]> {
  const o: ModelBenchOptions = {
    sizes: [1000, 10000, 100000],
    nEstimators: 100,
    maxDepth: 12,
    jobs: [1, 2],
    scoreRows: 1_000_000,
    compareMl: false,
    print: console.log,
    ...options,
  };
  const out: ModelBenchRow[] = [];
  const add = (row: Omit<ModelBenchRow, 'peakRssMb'>): void => {
    const full = { ...row, peakRssMb: peakRssMb() };
    out.push(full);
    o.print(format([full])[2]);
  };
  o.print(
    `models bench: ${o.nEstimators} trees, depth ${o.maxDepth}, 25 features, 70/30 stratified holdout`,
  );
  let largest: { model: RandomForestModel; X: Float64Array[] } | null = null;
  for (const n of o.sizes) {
    const { X, y } = syntheticAccounts(n, 11);
    const { train, test } = stratifiedSplit(y, { randomState: 1 });
    const Xtr = Array.from(train, (i) => X[i]);
    const ytr = Uint8Array.from(train, (i) => y[i]);
    const Xte = Array.from(test, (i) => X[i]);
    const yte = Uint8Array.from(test, (i) => y[i]);
    for (const nJobs of o.jobs) {
      const stop = startClock();
      const model = await fitRandomForest(Xtr, ytr, {
        nEstimators: o.nEstimators,
        maxDepth: o.maxDepth,
        randomState: 1,
        nJobs,
      });
      const fit = stop();
      const p = predictProba(model, Xte);
      const nodes = model.trees.reduce((s, t) => s + t.feature.length, 0);
      const mb = (serializeForest(model).length / 1e6).toFixed(1);
      add({
        task: `forest fit nJobs=${nJobs}`,
        rows: train.length,
        ...fit,
        auc: rocAuc(yte, p),
        accuracy: accuracy(yte, p),
        note: `${nodes} nodes, JSON ${mb} MB`,
      });
      if (nJobs === o.jobs[0]) largest = { model, X };
    }
    const two = [0, 1];
    const stopLr = startClock();
    const lr = fitLogisticRegression(
      Xtr.map((r) => two.map((f) => r[f])),
      ytr,
      { log1p: true },
    );
    const lrFit = stopLr();
    const lrP = predictProbaLogistic(
      lr,
      Xte.map((r) => two.map((f) => r[f])),
    );
    add({
      task: 'logistic sum_minutes+sum_events',
      rows: train.length,
      ...lrFit,
      auc: rocAuc(yte, lrP),
      accuracy: accuracy(yte, lrP),
      note: `${lr.nIter} Newton steps`,
    });
    const stopKm = startClock();
    const km = fitKMeans(standardize(fitStandardize(X), X), { nClusters: 5, randomState: 1 });
    add({
      task: 'k-means k=5 nInit=10',
      rows: n,
      ...stopKm(),
      auc: null,
      accuracy: null,
      note: `${km.nIter} iter`,
    });
    if (n <= 1000 || (o.compareMl && n <= 10000)) {
      const toRows = (rows: Float64Array[]) =>
        rows.map((r) => Array.from(r, (v) => (Number.isNaN(v) ? -1 : v)));
      const ml = mlForest(toRows(Xtr), Array.from(ytr), toRows(Xte), o.nEstimators, o.maxDepth);
      add({
        task: 'ml-random-forest fit',
        rows: train.length,
        ...ml.fit,
        auc: rocAuc(yte, ml.scores),
        accuracy: accuracy(yte, ml.scores),
        note: 'maxFeatures 5 per tree, no replacement, NaN as -1',
      });
    }
  }
  if (largest && o.scoreRows > 0) {
    const base = largest.X;
    const rows = Array.from({ length: o.scoreRows }, (_, i) => base[i % base.length]);
    const stopScore = startClock();
    predictProba(largest.model, rows);
    const s = stopScore();
    add({
      task: 'forest score (1 thread)',
      rows: o.scoreRows,
      ...s,
      auc: null,
      accuracy: null,
      note: `${Math.round(o.scoreRows / s.seconds)} rows/s, model of ${largest.model.nSamples} rows`,
    });
  }
  o.print('');
  for (const line of format(out)) o.print(line);
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name: string): string | undefined =>
    process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const list = (v: string | undefined) => v?.split(',').map(Number);
  await runModelBench({
    compareMl: process.argv.includes('--compare-ml'),
    ...(arg('sizes') ? { sizes: list(arg('sizes')) } : {}),
    ...(arg('jobs') ? { jobs: list(arg('jobs')) } : {}),
    ...(arg('trees') ? { nEstimators: Number(arg('trees')) } : {}),
    ...(arg('depth') ? { maxDepth: Number(arg('depth')) } : {}),
    ...(arg('score-rows') ? { scoreRows: Number(arg('score-rows')) } : {}),
  });
}
