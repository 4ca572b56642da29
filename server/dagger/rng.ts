/**
 * Seeded randomness. Everything random in a round (rollout seeds, β coin flips, state selection, gold
 * states, simulated labelers, training shuffles) draws from a generator seeded here, so a re-run with the
 * same seed gives the same round.
 */

/** mulberry32: a small, fast 32-bit generator; returns a function giving uniforms in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Rng {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
  /** Fisher–Yates shuffle in place; returns the array. */
  shuffle<T>(xs: T[]): T[];
  /** k distinct indices from [0, n), in increasing order. */
  sampleWithoutReplacement(n: number, k: number): number[];
}

export function createRng(seed: number): Rng {
  const next = mulberry32(seed);
  const rng: Rng = {
    uniform: next,
    int: (n) => Math.floor(next() * n),
    normal: () => {
      // 1 − u keeps the log argument in (0, 1].
      const u = 1 - next();
      const v = next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    shuffle: (xs) => {
      for (let i = xs.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [xs[i], xs[j]] = [xs[j]!, xs[i]!];
      }
      return xs;
    },
    sampleWithoutReplacement: (n, k) => {
      if (k > n) throw new RangeError(`cannot sample ${k} of ${n}`);
      const idx = Array.from({ length: n }, (_, i) => i);
      // Partial Fisher–Yates: the first k positions are a uniform k-subset.
      for (let i = 0; i < k; i++) {
        const j = i + Math.floor(next() * (n - i));
        [idx[i], idx[j]] = [idx[j]!, idx[i]!];
      }
      return idx.slice(0, k).sort((a, b) => a - b);
    },
  };
  return rng;
}

/**
 * A sub-seed for one purpose, derived deterministically from a parent seed and labels (FNV-1a over the
 * labels, mixed with the seed by a murmur3 finaliser), so "round 3's rollouts" and "round 3's selection"
 * get independent streams.
 */
export function deriveSeed(seed: number, ...labels: (string | number)[]): number {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  for (const label of labels) {
    const s = `/${label}`;
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
