/** mulberry32, the small seeded generator used across the project (LaneFollow's tracks are defined by it). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform in [low, high) from a generator. */
export const uniform = (next: () => number, low: number, high: number) => low + (high - low) * next();
