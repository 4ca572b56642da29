/** Round metrics: returns, success, agreement with the scripted expert, and a dataset fingerprint. */
import type { Action, ActionSpace } from '@/envs/types';

export function meanStd(xs: number[]): { mean: number; std: number } {
  if (xs.length === 0) return { mean: NaN, std: NaN };
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const std = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
  return { mean, std };
}

/** Continuous actions count as equal within this fraction of the action range, per dimension. */
export const CONTINUOUS_TOLERANCE = 0.05;

export function actionsMatch(space: ActionSpace, a: Action, b: Action): boolean {
  if (space.kind === 'discrete') return a === b;
  const x = a as number[];
  const y = b as number[];
  return x.every((v, d) => Math.abs(v - y[d]!) <= CONTINUOUS_TOLERANCE * (space.high[d]! - space.low[d]!));
}

/** Fraction of (policy, expert) action pairs that match — on the policy's own states. */
export function expertAgreement(space: ActionSpace, pairs: { policy: Action; expert: Action }[]): number {
  if (pairs.length === 0) return NaN;
  return pairs.filter((p) => actionsMatch(space, p.policy, p.expert)).length / pairs.length;
}

/** cyrb53: a fast 53-bit string hash. */
function cyrb53(s: string, seed: number): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/**
 * A fingerprint of the training set: two independent cyrb53 hashes (106 bits) of the ordered (id, action)
 * list. Equal datasets give equal hashes; it identifies, it does not authenticate.
 */
export function datasetHash(items: { id: number; action: Action }[]): string {
  const text = items.map((i) => `${i.id}:${JSON.stringify(i.action)}`).join('\n');
  return cyrb53(text, 1).toString(16).padStart(14, '0') + cyrb53(text, 2).toString(16).padStart(14, '0');
}
