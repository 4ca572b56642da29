import { describe, expect, it } from 'vitest';
import { betaForRound, betaSchedule, betaScheduleSchema, constantBeta, exponentialBeta, linearBeta } from './beta';

describe('β schedules', () => {
  it('round 0 is always the expert', () => {
    for (const s of [constantBeta(0), linearBeta(0.3, 2), exponentialBeta(0)]) expect(s(0)).toBe(1);
    expect(betaForRound({ kind: 'constant', beta: 0 }, 0)).toBe(1);
  });

  it('constant', () => {
    expect([1, 2, 9].map(constantBeta(0.3))).toEqual([0.3, 0.3, 0.3]);
    expect(betaForRound({ kind: 'constant', beta: 0 }, 4)).toBe(0);
  });

  it('linear: β₀ · (1 − i/R), reaching 0 at round R and staying there', () => {
    const lin = { kind: 'linear' as const, beta0: 1, rounds: 4 };
    expect([1, 2, 3, 4, 5, 6].map((i) => betaForRound(lin, i))).toEqual([0.75, 0.5, 0.25, 0, 0, 0]);
    expect(linearBeta(0.8, 2)(1)).toBeCloseTo(0.4, 12);
  });

  it('exponential: pⁱ for round i (the paper’s p^(n−1) with n = i + 1)', () => {
    expect([0, 1, 2, 3].map((i) => betaForRound({ kind: 'exponential', p: 0.5 }, i))).toEqual([1, 0.5, 0.25, 0.125]);
    expect(exponentialBeta(0)(1)).toBe(0);
  });

  it('is non-increasing in the round for linear and exponential', () => {
    for (const s of [linearBeta(0.9, 7), exponentialBeta(0.7)]) {
      const bs = Array.from({ length: 12 }, (_, i) => s(i));
      bs.slice(1).forEach((b, i) => expect(b).toBeLessThanOrEqual(bs[i]!));
      expect(bs.every((b) => b >= 0 && b <= 1)).toBe(true);
    }
  });

  it('turns the stored form into the callable, filling defaults', () => {
    const s = betaScheduleSchema.parse({ kind: 'linear' });
    expect(s).toEqual({ kind: 'linear', beta0: 1, rounds: 5 });
    expect(betaSchedule(s)(1)).toBeCloseTo(0.8, 12);
    expect(betaForRound((i) => i / 10, 3)).toBeCloseTo(0.3, 12);
  });

  it('rejects bad parameters and rounds with clear messages', () => {
    const bad = betaScheduleSchema.safeParse({ kind: 'constant', beta: 1.5 });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toBe('β must be in [0, 1]');
    expect(betaScheduleSchema.safeParse({ kind: 'linear', rounds: 0 }).error?.issues[0]?.message).toBe('rounds must be at least 1');
    expect(betaScheduleSchema.safeParse({ kind: 'exponential', p: -0.1 }).success).toBe(false);
    expect(betaScheduleSchema.safeParse({ kind: 'bogus' }).success).toBe(false);
    expect(() => constantBeta(NaN)).toThrow(/β must be in \[0, 1\] \(got NaN\)/);
    expect(() => linearBeta(1, 0)).toThrow(/rounds must be a positive integer/);
    expect(() => exponentialBeta(2)).toThrow(/p must be in \[0, 1\]/);
    expect(() => betaForRound({ kind: 'constant', beta: 0 }, -1)).toThrow(/non-negative integer/);
    expect(() => constantBeta(0)(1.5)).toThrow(/non-negative integer/);
  });
});
