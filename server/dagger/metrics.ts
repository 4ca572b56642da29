/**
 * What a round records about its policy and data: returns, success rate, agreement with the scripted
 * expert on the policy's own states, and a fingerprint of the dataset it was trained on.
 */
import type { Action, ActionSpace } from '@/envs/types';

/** Mean and population standard deviation (÷ n, like numpy's default); NaN for no values. */
export function meanStd(xs: number[]): { mean: number; std: number } {
  if (xs.length === 0) return { mean: NaN, std: NaN };
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const std = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
  return { mean, std };
}

/** Fraction of episodes that succeeded (Env.success decides); NaN for no episodes. */
export function successRate(successes: boolean[]): number {
  return successes.length === 0 ? NaN : successes.filter(Boolean).length / successes.length;
}

/** Continuous actions count as equal within this fraction of the action range, per dimension. */
export const CONTINUOUS_TOLERANCE = 0.05;

/**
 * Whether two actions are "the same": equal indices (discrete); every dimension within `tolerance` × its
 * range (continuous). A dimension without a finite range must match exactly.
 */
export function actionsMatch(space: ActionSpace, a: Action, b: Action, tolerance = CONTINUOUS_TOLERANCE): boolean {
  if (space.kind === 'discrete') return a === b;
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== space.size || b.length !== space.size) return false;
  return a.every((x, d) => {
    const range = space.high[d]! - space.low[d]!;
    const tol = Number.isFinite(range) ? tolerance * range : 0;
    // A small slack for floating-point noise, so that "exactly at the tolerance" counts as a match.
    return Math.abs(x - b[d]!) <= tol + 1e-12;
  });
}

/**
 * Expert agreement: the fraction of (policy, expert) action pairs that match, measured on the states the
 * policy itself visits (the distribution DAgger cares about). NaN for no pairs.
 */
export function expertAgreement(space: ActionSpace, pairs: { policy: Action; expert: Action }[], tolerance = CONTINUOUS_TOLERANCE): number {
  if (pairs.length === 0) return NaN;
  return pairs.filter((p) => actionsMatch(space, p.policy, p.expert, tolerance)).length / pairs.length;
}

// Dataset fingerprint -------------------------------------------------------------------------------------

/**
 * Canonical JSON: object keys sorted, no whitespace, arrays in order, undefined object members dropped.
 * Non-finite numbers throw: JSON would silently write NaN and Infinity as null.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`cannot hash the non-finite number ${value}`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  throw new TypeError(`cannot hash a value of type ${typeof value}`);
}

/** SHA-256 round constants: the first 32 bits of the fractional parts of the cube roots of the first 64 primes. */
const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01,
  0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
  0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
  0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08,
  0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

/**
 * SHA-256 (FIPS 180-4) of a string's UTF-8 bytes, as 64 hex digits. Pure and synchronous, so the same
 * code runs in the worker, the CLI and the browser (WebCrypto's digest is async; node:crypto is Node-only).
 */
export function sha256Hex(text: string): string {
  const bytes = new TextEncoder().encode(text);
  // Padding: a 1 bit, zeros, then the message length in bits as a 64-bit big-endian integer.
  const blocks = Math.ceil((bytes.length + 9) / 64);
  const msg = new Uint8Array(blocks * 64);
  msg.set(bytes);
  msg[bytes.length] = 0x80;
  const view = new DataView(msg.buffer);
  const bits = bytes.length * 8;
  view.setUint32(msg.length - 8, Math.floor(bits / 2 ** 32));
  view.setUint32(msg.length - 4, bits >>> 0);

  const H = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  const W = new Uint32Array(64);
  const rotr = (x: number, n: number) => (x >>> n) | (x << (32 - n));
  for (let off = 0; off < msg.length; off += 64) {
    for (let t = 0; t < 16; t++) W[t] = view.getUint32(off + 4 * t);
    for (let t = 16; t < 64; t++) {
      const w15 = W[t - 15]!;
      const w2 = W[t - 2]!;
      const s0 = rotr(w15, 7) ^ rotr(w15, 18) ^ (w15 >>> 3);
      const s1 = rotr(w2, 17) ^ rotr(w2, 19) ^ (w2 >>> 10);
      W[t] = W[t - 16]! + s0 + W[t - 7]! + s1;
    }
    let [a, b, c, d, e, f, g, h] = [H[0]!, H[1]!, H[2]!, H[3]!, H[4]!, H[5]!, H[6]!, H[7]!];
    for (let t = 0; t < 64; t++) {
      const S1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
      const ch = (e & f) ^ (~e & g);
      const t1 = (h + S1 + ch + K[t]! + W[t]!) | 0;
      const S0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
      const maj = (a & b) ^ (a & c) ^ (b & c);
      const t2 = (S0 + maj) | 0;
      [h, g, f, e, d, c, b, a] = [g, f, e, (d + t1) | 0, c, b, a, (t1 + t2) | 0];
    }
    H[0]! += a;
    H[1]! += b;
    H[2]! += c;
    H[3]! += d;
    H[4]! += e;
    H[5]! += f;
    H[6]! += g;
    H[7]! += h;
  }
  return Array.from(H, (x) => x.toString(16).padStart(8, '0')).join('');
}

/**
 * The dataset fingerprint recorded with every round and policy: SHA-256 of the canonical JSON of the
 * ordered [id, action] pairs, as 64 hex digits. Same items in the same order ⇔ same hash, so a dataset
 * edited in place (or read in another order) shows up as a different hash.
 */
export function datasetHash(items: { id: number | string; action: Action }[]): string {
  return sha256Hex(canonicalJson(items.map((i) => [i.id, i.action])));
}
