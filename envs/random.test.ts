import { describe, expect, it } from 'vitest';
import { mulberry32, mulberry32Draw } from './random';

describe('mulberry32', () => {
  it('is the common 32-bit generator (first draws for seed 0 and 1)', () => {
    const r0 = mulberry32(0);
    expect([r0(), r0(), r0()]).toEqual([0.26642920868471265, 0.0003297457005828619, 0.2232720274478197]);
    const r1 = mulberry32(1);
    expect(r1()).toBe(0.6270739405881613);
  });

  it('gives the same stream with its state kept outside', () => {
    const r = mulberry32(123);
    const state = { a: 123 };
    for (let k = 0; k < 1000; k++) expect(mulberry32Draw(state)).toBe(r());
    expect(Number.isInteger(state.a) && state.a >= 0 && state.a < 2 ** 32).toBe(true);
  });
});
