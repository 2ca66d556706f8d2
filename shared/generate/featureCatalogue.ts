/**
 * The product's feature catalogue: 10-15 product areas (Pendo groups), about 60 pages and 150-300 tagged features
 * with a heavy-tailed popularity, some never clicked, some in the default group or in none, plus a few "ghost"
 * features that were clicked but are missing from feature_history (contract pitfall 9).
 */
import { FEATURE_OBJECTS, FEATURE_VERBS, PRODUCT_AREAS } from './names.ts';
import { cumulative, Rng } from './random.ts';

/** Pendo's default group id, used for features nobody assigned to a product area. */
export const DEFAULT_GROUP_ID = '_PENDO_DEFAULTGROUP_00_';

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** One tagged feature. */
export interface SampleFeature {
  id: string;
  name: string;
  /** Product area id (a group id, the default group, or '' when none) and its name (null when none). */
  groupId: string;
  areaName: string | null;
  /** Page index, -1 when the feature is not tied to a page. */
  page: number;
  isCore: boolean | null;
  createdDay: number;
  /** Relative click popularity; 0 for never-clicked features. */
  popularity: number;
}

/** The catalogue: features (known ones first, then ghosts), pages and the popularity distribution. */
export interface FeatureCatalogue {
  features: SampleFeature[];
  /** Number of features present in feature_history (the first `known` entries of `features`). */
  known: number;
  pages: { id: string; name: string; createdDay: number }[];
  /** Cumulative popularity over the known features, for weighted draws (ghosts are drawn separately). */
  cdf: Float64Array;
}

/** A Pendo-style 27-character id (random base64url). */
export function pendoObjectId(r: Rng): string {
  return r.chars(27, ID_ALPHABET);
}

/** Draws the feature catalogue; all objects were created before the window starts. */
export function buildCatalogue(seed: number, windowStart: number): FeatureCatalogue {
  const r = new Rng(seed, 7);
  const areaCount = r.int(10, 15);
  const areas = PRODUCT_AREAS.slice(0, areaCount).map((name) => ({ id: pendoObjectId(r), name }));
  const areaWeights = cumulative(areas.map(() => r.lognormal(1, 0.6)));
  const pages = Array.from({ length: 60 }, (_, i) => ({
    id: pendoObjectId(r),
    name: `${areas[i % areaCount].name} page ${Math.floor(i / areaCount) + 1}`,
    createdDay: windowStart - r.int(60, 900),
  }));
  const count = r.int(150, 300);
  const features: SampleFeature[] = [];
  const names = new Set<string>();
  for (let i = 0; i < count + 3; i++) {
    const ghost = i >= count;
    const a = r.weighted(areaWeights);
    const grouping = r.next();
    const groupId = grouping < 0.08 ? DEFAULT_GROUP_ID : grouping < 0.12 ? '' : areas[a].id;
    let name = `${r.pick(FEATURE_VERBS)} ${areas[a].name.toLowerCase()} ${r.pick(FEATURE_OBJECTS)}`;
    for (let k = 2; names.has(name); k++) name = `${name.replace(/ \d+$/, '')} ${k}`;
    names.add(name);
    const core = r.next();
    features.push({
      id: pendoObjectId(r),
      name,
      groupId,
      areaName: groupId === areas[a].id ? areas[a].name : null,
      page: r.chance(0.85) ? r.int(0, pages.length - 1) : -1,
      isCore: core < 0.2 ? true : core < 0.9 ? false : null,
      createdDay: windowStart - r.int(30, 700),
      // Zipf-like popularity; about 8% of the known features are never clicked.
      popularity:
        !ghost && r.chance(0.08) ? 0 : (1 / (1 + r.int(0, count))) ** 0.9 * r.lognormal(1, 0.5),
    });
  }
  return {
    features,
    known: count,
    pages,
    cdf: cumulative(features.slice(0, count).map((f) => f.popularity)),
  };
}
