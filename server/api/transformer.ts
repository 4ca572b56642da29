/**
 * superjson on the wire, with a fast path: a value made only of plain objects, arrays, strings, booleans,
 * null and finite numbers (most responses, e.g. a task with its rollout context) serialises to exactly
 * `{ json: value }` under superjson too, so it is sent as that without superjson's per-node bookkeeping.
 * Anything else (Date, Map, BigInt, undefined, NaN…) goes through superjson unchanged.
 */
import superjson from 'superjson';

export function isPlainJson(v: unknown, depth = 0): boolean {
  if (depth > 200) return false;
  if (v === null) return true;
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(v) && !Object.is(v, -0);
    case 'object': {
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) if (!(i in v) || !isPlainJson(v[i], depth + 1)) return false;
        return true;
      }
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) return false;
      for (const k in v) {
        if (k === '__proto__' || !isPlainJson((v as Record<string, unknown>)[k], depth + 1)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

export const transformer = {
  serialize: (v: unknown) => (isPlainJson(v) ? { json: v } : superjson.serialize(v)),
  deserialize: (v: unknown) => superjson.deserialize(v as Parameters<typeof superjson.deserialize>[0]),
};
