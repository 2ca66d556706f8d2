import type { ClassifierConfig } from '../config/classifier.ts';

/** Probability bands, most likely first. */
export const BAND_NAMES = ['High', 'Likely', 'Possible', 'Unlikely'] as const;

/** One probability band. */
export type BandName = (typeof BAND_NAMES)[number];

/** Band of a probability p in [0, 1]: >= high High, >= likely Likely, >= possible Possible, else Unlikely. */
export function probabilityBand(p: number, bands: ClassifierConfig['bands']): BandName {
  if (p >= bands.high) return 'High';
  if (p >= bands.likely) return 'Likely';
  if (p >= bands.possible) return 'Possible';
  return 'Unlikely';
}
