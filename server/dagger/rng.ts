/**
 * Seeded randomness. Everything random in a round (rollout seeds, β coin flips, state selection, gold
 * states, simulated labelers, training shuffles) draws from a generator made here, so a re-run with the
 * same seed gives the same round. Nothing in the project calls Math.random for data.
 */

/**
 * mulberry32 (Tommy Ettinger): a 32-bit state, period 2³², fast and good enough for simulation (not for
 * secrets). One implementation for the whole project lives in envs/random.ts (LaneFollow's tracks are
 * defined by it); it returns a function giving uniforms in [0, 1) with 32 bits of resolution.
 */
import { mulberry32 } from '@/envs/random';

export { mulberry32 };

export interface Rng {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Uniform integer in [0, n), n a positive integer. */
  int(n: number): number;
  /** Standard normal N(0, 1) by Box–Muller (two uniforms per draw; the second normal is discarded). */
  normal(): number;
  /** Fisher–Yates shuffle in place; returns the same array. */
  shuffle<T>(xs: T[]): T[];
  /** k distinct indices from [0, n), uniformly over k-subsets, returned in increasing order. */
  sampleWithoutReplacement(n: number, k: number): number[];
}

function assertCount(name: string, x: number): void {
  if (!Number.isSafeInteger(x) || x < 0) throw new RangeError(`${name} must be a non-negative integer (got ${x})`);
}

export function createRng(seed: number): Rng {
  const next = mulberry32(seed);
  const int = (n: number): number => {
    if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`int(n) needs a positive integer n (got ${n})`);
    return Math.floor(next() * n);
  };
  return {
    uniform: next,
    int,
    normal: () => {
      // 1 − u lies in (0, 1], so the logarithm is finite.
      const u = 1 - next();
      const v = next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    shuffle: <T>(xs: T[]): T[] => {
      for (let i = xs.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [xs[i], xs[j]] = [xs[j]!, xs[i]!];
      }
      return xs;
    },
    sampleWithoutReplacement: (n, k) => {
      assertCount('n', n);
      assertCount('k', k);
      if (k > n) throw new RangeError(`cannot sample ${k} of ${n} without replacement`);
      const idx = Array.from({ length: n }, (_, i) => i);
      // Partial Fisher–Yates: after k swaps the first k positions are a uniform k-subset.
      for (let i = 0; i < k; i++) {
        const j = i + Math.floor(next() * (n - i));
        [idx[i], idx[j]] = [idx[j]!, idx[i]!];
      }
      // Increasing order, so whatever is read next (states, dataset items) is read in a fixed order.
      return idx.slice(0, k).sort((a, b) => a - b);
    },
  };
}

/**
 * A sub-seed for one purpose, derived from a parent seed and labels, so that "round 3's rollouts" and
 * "round 3's selection" get independent streams and adding a new consumer of randomness never shifts
 * the draws of an existing one.
 *
 * FNV-1a (32-bit) over "/label" for each label, started from the parent seed, then the murmur3 finaliser
 * to spread the bits. Labels are joined with "/", so ('a/b') and ('a', 'b') give the same seed, and the
 * number 1 and the string '1' are the same label: use short literal labels without "/".
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

/** Short name for {@link deriveSeed}. */
export const derive = deriveSeed;
