/**
 * Fixed-window rate limits for tRPC procedures, kept in this process's memory: the labeling API is served
 * by one process, and a limit checked on every label must not cost a database write. (Sign-in limits are
 * better-auth's, kept in the database.) Returns whether the call may proceed.
 */
interface Window {
  start: number;
  count: number;
  windowMs: number;
}

/** Per scope: its open windows, and when finished ones were last dropped. */
const scopes = new WeakMap<object, { windows: Map<string, Window>; lastSweep: number }>();

/** `scope` separates independent servers in one process (tests): pass the runtime's database. */
export function takeRateLimit(scope: object, key: string, max: number, windowMs: number, now = Date.now()): boolean {
  let sc = scopes.get(scope);
  if (!sc) scopes.set(scope, (sc = { windows: new Map(), lastSweep: now }));
  const m = sc.windows;
  // Drop finished windows now and then, so idle keys do not pile up.
  if (now - sc.lastSweep > 60_000) {
    sc.lastSweep = now;
    for (const [k, w] of m) if (now - w.start >= w.windowMs) m.delete(k);
  }
  const w = m.get(key);
  if (!w || now - w.start >= windowMs) {
    m.set(key, { start: now, count: 1, windowMs });
    return max >= 1;
  }
  w.count++;
  return w.count <= max;
}

export function resetRateLimit(scope: object, key: string): void {
  scopes.get(scope)?.windows.delete(key);
}
