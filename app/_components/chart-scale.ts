/** Axis arithmetic for the hand-written SVG charts, the pure part. */

/** A "nice" step (1, 2, 2.5 or 5 × 10^k) so that about `count` steps cover `span`. */
export function niceStep(span: number, count: number): number {
  if (!(span > 0) || !Number.isFinite(span)) return 1;
  const raw = span / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  const m = norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 2.5 ? 2.5 : norm <= 5 ? 5 : 10;
  return m * mag;
}

/**
 * Nice ticks covering [lo, hi]: the domain is widened to whole steps, so the first and last ticks are the
 * axis ends. A zero-width domain is widened around its value first; non-finite input gives [0, 1].
 */
export function niceTicks(lo: number, hi: number, count = 5): { lo: number; hi: number; step: number; ticks: number[] } {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return { lo: 0, hi: 1, step: 0.2, ticks: [0, 0.2, 0.4, 0.6, 0.8, 1] };
  if (lo > hi) [lo, hi] = [hi, lo];
  if (lo === hi) {
    const d = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= d;
    hi += d;
  }
  const step = niceStep(hi - lo, count);
  const a = Math.floor(lo / step + 1e-9) * step;
  const b = Math.ceil(hi / step - 1e-9) * step;
  const ticks: number[] = [];
  const n = Math.round((b - a) / step);
  for (let i = 0; i <= n; i++) ticks.push(clean(a + i * step));
  return { lo: clean(a), hi: clean(b), step, ticks };
}

/** Removes float noise (0.30000000000000004 → 0.3). */
function clean(v: number): number {
  const r = +v.toPrecision(12);
  return r === 0 ? 0 : r; // no "-0" labels
}

/** A tick label: integers as such, large/small magnitudes compactly, otherwise up to 3 significant digits. */
export function formatTick(v: number, step?: number): string {
  if (!Number.isFinite(v)) return '';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e6 || a < 1e-3) return v.toExponential(1).replace('e+', 'e');
  if (a >= 1e4) return `${+(v / 1000).toFixed(1)}k`;
  if (step !== undefined && step > 0) {
    const decimals = Math.max(0, Math.min(6, -Math.floor(Math.log10(step) + 1e-9)));
    // 2.5 × 10^k steps need one more decimal than their magnitude suggests.
    const extra = Math.abs(step / 10 ** -decimals - Math.round(step / 10 ** -decimals)) > 1e-9 ? 1 : 0;
    return v.toFixed(decimals + extra);
  }
  return Number.isInteger(v) ? String(v) : String(+v.toPrecision(3));
}

/** A value for tooltips: up to 4 significant digits, no trailing zeros. */
export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return '—';
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e6 || a < 1e-3)) return v.toExponential(2);
  return String(+v.toPrecision(4));
}

/**
 * The x ticks: every distinct x when there are few integer xs (rounds 0, 1, 2…), otherwise nice ticks.
 */
export function xTicks(xs: readonly number[], count = 6): number[] {
  const distinct = [...new Set(xs.filter(Number.isFinite))].sort((a, b) => a - b);
  if (distinct.length === 0) return [];
  if (distinct.length <= 12 && distinct.every(Number.isInteger)) return distinct;
  return niceTicks(distinct[0]!, distinct[distinct.length - 1]!, count).ticks.filter((t) => t >= distinct[0]! - 1e-9 && t <= distinct[distinct.length - 1]! + 1e-9);
}

/** The element of a sorted array nearest to x (binary search); undefined for an empty array. */
export function nearest(sorted: readonly number[], x: number): number | undefined {
  if (sorted.length === 0) return undefined;
  let lo = 0;
  let hi = sorted.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= x) lo = mid;
    else hi = mid;
  }
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return Math.abs(x - a) <= Math.abs(b - x) ? a : b;
}
