/**
 * Fixed-window rate limits for tRPC procedures, kept in this process's memory: the labeling API is served
 * by one process, and a limit checked on every label must not cost a database write. (Sign-in limits are
 * better-auth's, kept in the database.) Returns whether the call may proceed.
 */
interface Window {
  start: number;
  count: number;
}

const windows = new WeakMap<object, Map<string, Window>>();
let lastSweep = 0;

/** `scope` separates independent servers in one process (tests): pass the runtime's database. */
export function takeRateLimit(scope: object, key: string, max: number, windowMs: number, now = Date.now()): boolean {
  let m = windows.get(scope);
  if (!m) windows.set(scope, (m = new Map()));
  // Drop finished windows now and then, so idle keys do not pile up.
  if (now - lastSweep > 60_000) {
    lastSweep = now;
    for (const [k, w] of m) if (now - w.start > 60_000) m.delete(k);
  }
  const w = m.get(key);
  if (!w || now - w.start >= windowMs) {
    m.set(key, { start: now, count: 1 });
    return max >= 1;
  }
  w.count++;
  return w.count <= max;
}

export function resetRateLimit(scope: object, key: string): void {
  windows.get(scope)?.delete(key);
}
