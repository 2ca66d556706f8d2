import type { ForestTree } from './histTree.ts';
import { ModelFormatError } from './modelErrors.ts';
import type { RandomForestModel } from './randomForest.ts';

type TypedArray = Int16Array | Int32Array | Uint8Array | Float32Array | Float64Array;
type TypedArrayCtor = { new (buffer: ArrayBuffer): TypedArray; BYTES_PER_ELEMENT: number };

/** Encodes a typed array's bytes (host order: little-endian on x86-64 and arm64) as base64. */
export function typedToBase64(a: TypedArray): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

/** Decodes base64 written by `typedToBase64` into a fresh typed array of type `Ctor`. */
export function base64ToTyped<T extends TypedArray>(text: string, Ctor: TypedArrayCtor): T {
  if (typeof text !== 'string') throw new ModelFormatError('expected a base64 string');
  const bytes = Buffer.from(text, 'base64');
  if (bytes.byteLength % Ctor.BYTES_PER_ELEMENT !== 0)
    throw new ModelFormatError('base64 array has a bad length');
  const copy = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(copy).set(bytes);
  return new Ctor(copy) as T;
}

const treeFields: ReadonlyArray<[keyof ForestTree, TypedArrayCtor]> = [
  ['feature', Int16Array],
  ['threshold', Uint8Array],
  ['missingLeft', Uint8Array],
  ['left', Int32Array],
  ['right', Int32Array],
  ['value', Float32Array],
];

/**
 * Writes a forest as one JSON text: params and names as JSON, each tree's node arrays and each feature's bin
 * edges as base64 (feature Int16, threshold and missingLeft Uint8, children Int32, value Float32, edges
 * Float64). Same model, same bytes.
 */
export function serializeForest(model: RandomForestModel): string {
  return JSON.stringify({
    kind: model.kind,
    version: model.version,
    params: model.params,
    featureNames: model.featureNames,
    classes: model.classes,
    nSamples: model.nSamples,
    binEdges: model.binEdges.map(typedToBase64),
    trees: model.trees.map((t) =>
      Object.fromEntries(treeFields.map(([k]) => [k, typedToBase64(t[k])])),
    ),
  });
}

/** Reads a forest written by `serializeForest`; throws ModelFormatError when the text is not one. */
export function deserializeForest(text: string): RandomForestModel {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text) as Record<string, unknown>;
  } catch (err) {
    throw new ModelFormatError('forest model is not valid JSON', { cause: err });
  }
  if (raw?.kind !== 'random-forest' || raw.version !== 1) {
    throw new ModelFormatError(`not a version-1 random-forest model (kind ${String(raw?.kind)})`);
  }
  if (
    !Array.isArray(raw.binEdges) ||
    !Array.isArray(raw.trees) ||
    !Array.isArray(raw.featureNames)
  ) {
    throw new ModelFormatError('forest model lacks binEdges, trees or featureNames');
  }
  const binEdges = raw.binEdges.map((e: string) => base64ToTyped<Float64Array>(e, Float64Array));
  const trees = raw.trees.map((t: Record<string, string>) => {
    const tree = Object.fromEntries(
      treeFields.map(([k, C]) => [k, base64ToTyped(t[k], C)]),
    ) as unknown as ForestTree;
    const n = tree.feature.length;
    if (treeFields.some(([k]) => tree[k].length !== n) || n === 0) {
      throw new ModelFormatError('a tree has node arrays of different lengths');
    }
    for (let i = 0; i < n; i++) {
      const f = tree.feature[i];
      if (f >= binEdges.length)
        throw new ModelFormatError(`a node splits on feature ${f}, beyond the features`);
      if (
        f >= 0 &&
        (tree.left[i] <= i || tree.right[i] <= i || tree.left[i] >= n || tree.right[i] >= n)
      ) {
        throw new ModelFormatError('a tree has a child index out of order or range');
      }
    }
    return tree;
  });
  if (raw.featureNames.length !== binEdges.length)
    throw new ModelFormatError('featureNames and binEdges differ');
  return {
    kind: 'random-forest',
    version: 1,
    // A forest written before the criterion was stored is a Gini (classification) forest.
    params: {
      ...(raw.params as object),
      criterion: (raw.params as { criterion?: string }).criterion ?? 'gini',
    } as RandomForestModel['params'],
    featureNames: raw.featureNames as string[],
    classes: [0, 1],
    nSamples: Number(raw.nSamples),
    binEdges,
    trees,
  };
}
