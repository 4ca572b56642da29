import superjson from 'superjson';
import { describe, expect, it } from 'vitest';
import { isPlainJson, transformer } from './transformer';

describe('wire transformer', () => {
  const samples: unknown[] = [
    null,
    0,
    'text',
    { a: 1, b: [1, 2, { c: 'x', d: null, e: true }], f: { g: [] } },
    [1.5, -2, 'x'],
    { when: new Date(5) },
    { big: 10n },
    { m: new Map([['a', 1]]), s: new Set([1]) },
    { u: undefined, v: 1 },
    [1, undefined, 3],
    { n: NaN, i: Infinity, z: -0 },
    Object.assign(Object.create(null), { a: 1 }),
    { re: /x/g },
  ];

  it('decodes to what superjson would, for plain and non-plain values alike', () => {
    for (const v of samples) {
      const wire = JSON.parse(JSON.stringify(transformer.serialize(v)));
      expect(superjson.deserialize(wire)).toEqual(superjson.deserialize(JSON.parse(JSON.stringify(superjson.serialize(v)))));
    }
  });

  it('takes the fast path only where superjson would add no metadata', () => {
    for (const v of samples) {
      const meta = (superjson.serialize(v) as { meta?: unknown }).meta;
      expect(isPlainJson(v), JSON.stringify(superjson.serialize(v))).toBe(meta === undefined);
    }
  });
});
