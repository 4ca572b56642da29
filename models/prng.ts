/**
 * Seeded randomness for training and sampling (never Math.random).
 *
 * Public API
 *   mulberry32(seed) → Rng           a small, fast 32-bit generator; next() ∈ [0, 1)
 *   deriveSeed(seed, ...keys)        an independent stream per (seed, member, purpose …)
 *   normal(rng)                      a standard normal draw (Box–Muller)
 *   shuffleInPlace(arr, rng)         Fisher–Yates
 */

import { mulberry32 as mulberry32Fn } from '../envs/random';

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
}

/** The project's one mulberry32 (envs/random.ts) behind the `next()` interface the trainer uses. */
export function mulberry32(seed: number): Rng {
  return { next: mulberry32Fn(seed) };
}

/** Mixes integers into one 32-bit seed (murmur3 finaliser per key), so streams for different keys do not overlap. */
export function deriveSeed(seed: number, ...keys: number[]): number {
  let h = seed >>> 0;
  for (const k of [...keys, keys.length]) {
    h = Math.imul(h ^ (k >>> 0), 0x9e3779b1) >>> 0;
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b) >>> 0;
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35) >>> 0;
    h ^= h >>> 16;
  }
  return h >>> 0;
}

export function normal(rng: Rng): number {
  let u = rng.next();
  while (u <= 0) u = rng.next();
  const v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export function shuffleInPlace<T extends { length: number; [i: number]: number }>(arr: T, rng: Rng): T {
  for (let i = arr.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    const t = arr[i]!;
    arr[i] = arr[j]!;
    arr[j] = t;
  }
  return arr;
}
