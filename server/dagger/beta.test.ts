import { describe, expect, it } from 'vitest';
import { betaForRound, betaScheduleSchema } from './beta';

describe('β schedules', () => {
  it('round 0 is always the expert', () => {
    expect(betaForRound({ kind: 'constant', beta: 0 }, 0)).toBe(1);
  });
  it('constant, linear and exponential', () => {
    expect(betaForRound({ kind: 'constant', beta: 0.3 }, 4)).toBe(0.3);
    const lin = { kind: 'linear' as const, beta0: 1, rounds: 4 };
    expect([1, 2, 3, 4, 5, 6].map((i) => betaForRound(lin, i))).toEqual([1, 0.75, 0.5, 0.25, 0, 0]);
    expect([1, 2, 3].map((i) => betaForRound({ kind: 'exponential', p: 0.5 }, i))).toEqual([1, 0.5, 0.25]);
  });
  it('rejects bad parameters and rounds', () => {
    expect(betaScheduleSchema.safeParse({ kind: 'constant', beta: 1.5 }).success).toBe(false);
    expect(betaScheduleSchema.safeParse({ kind: 'bogus' }).success).toBe(false);
    expect(() => betaForRound({ kind: 'constant', beta: 0 }, -1)).toThrow(/non-negative integer/);
  });
});
