/** mulberry32, the small seeded generator used across the project (LaneFollow's tracks are defined by it). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    return mulberry32Output(a);
  };
}

/** The output of mulberry32 for an already advanced 32-bit state `a`, in [0, 1). */
export function mulberry32Output(a: number): number {
  let t = Math.imul(a ^ (a >>> 15), a | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/**
 * mulberry32 with its 32-bit state kept outside (so an environment can carry it in a JSON state): advances
 * `rng.a` and returns the draw. `{ a: seed >>> 0 }` gives the same sequence as `mulberry32(seed)`.
 */
export function mulberry32Draw(rng: { a: number }): number {
  rng.a = (rng.a + 0x6d2b79f5) >>> 0;
  return mulberry32Output(rng.a);
}

/** Uniform in [low, high) from a generator. */
export const uniform = (next: () => number, low: number, high: number) => low + (high - low) * next();
