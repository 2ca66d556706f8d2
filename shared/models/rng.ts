/** A seeded pseudo-random generator; every random step in `shared/models` draws from one of these. */
export interface Rng {
  /** Uniform float in [0, 1) with 32 bits of randomness. */
  next(): number;
  /** Uniform integer in [0, n) for n in [1, 2^32). */
  nextInt(n: number): number;
  /** Standard normal draw (mean 0, sd 1), Box-Muller. */
  nextNormal(): number;
}

/** Mixes a 32-bit value (splitmix32 finaliser); used to derive independent seeds. */
export function mix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** Seed for stream `index` of a generator seeded with `seed` (e.g. tree `index` of a forest). */
export function deriveSeed(seed: number, index: number): number {
  return mix32((mix32(seed >>> 0) + Math.imul(index + 1, 0x6d2b79f5)) | 0);
}

/** Builds a Mulberry32 generator from an integer seed (any number; only its low 32 bits count). */
export function createRng(seed: number): Rng {
  let state = mix32(Math.trunc(seed) | 0);
  let spare = Number.NaN;
  const nextU32 = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
  const next = (): number => nextU32() / 4294967296;
  return {
    next,
    nextInt: (n) => Math.floor(next() * n),
    nextNormal: () => {
      if (!Number.isNaN(spare)) {
        const s = spare;
        spare = Number.NaN;
        return s;
      }
      const u = 1 - next();
      const v = next();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
  };
}

/** Shuffles `a` in place (Fisher-Yates) with `rng`; returns `a`. */
export function shuffleInPlace<T extends { length: number; [i: number]: number }>(
  a: T,
  rng: Rng,
): T {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
  return a;
}
