import { parentPort } from 'node:worker_threads';
import { type BinnedData, type ForestTree, growTree, type TreeGrowth } from './histTree.ts';

/** First message to a forest worker: the shared binned data and growth settings. */
export interface ForestWorkerInit {
  type: 'init';
  data: BinnedData;
  growth: TreeGrowth;
}

/** Later messages: grow tree `index` with generator seed `seed`. */
export interface ForestWorkerJob {
  type: 'tree';
  index: number;
  seed: number;
}

/** A worker's answer: the grown tree and its index. */
export interface ForestWorkerResult {
  index: number;
  tree: ForestTree;
}

let data: BinnedData | null = null;
let growth: TreeGrowth | null = null;
parentPort?.on('message', (msg: ForestWorkerInit | ForestWorkerJob) => {
  if (msg.type === 'init') {
    data = msg.data;
    growth = msg.growth;
    return;
  }
  const tree = growTree(data!, growth!, msg.seed);
  const result: ForestWorkerResult = { index: msg.index, tree };
  const buffers = Object.values(tree).map((a: ArrayBufferView) => a.buffer as ArrayBuffer);
  parentPort!.postMessage(result, buffers);
});
