import { describe, expect, it } from 'vitest';
import type { ActionSpace } from '@/envs/types';
import { aggregateLabels, isFlagged, labelerAccuracy, labelerWeight } from './aggregate';

const discrete: ActionSpace = { kind: 'discrete', n: 3, names: ['a', 'b', 'c'], keys: ['1', '2', '3'] };
const box: ActionSpace = { kind: 'box', size: 1, low: [-2], high: [2], names: ['u'] };
const cfg = { labelsPerState: 2, maxLabelsPerState: 3, minAgreement: 0.6 };
const v = (action: number | number[], weight = 1, unsure = false) => ({ action, weight, unsure });

describe('aggregation', () => {
  it('waits for the required number of labels', () => {
    expect(aggregateLabels(discrete, [v(1)], cfg)).toMatchObject({ status: 'needs_more', action: 1 });
  });
  it('settles agreement, and asks for more on a tie until the maximum', () => {
    expect(aggregateLabels(discrete, [v(2), v(2)], cfg)).toEqual({ status: 'consensus', action: 2, agreement: 1 });
    expect(aggregateLabels(discrete, [v(0), v(2)], cfg).status).toBe('needs_more');
    expect(aggregateLabels(discrete, [v(0), v(2), v(2)], cfg)).toMatchObject({ status: 'consensus', action: 2 });
  });
  it('weights votes by labeler quality and halves unsure ones', () => {
    expect(aggregateLabels(discrete, [v(0, 1.8), v(2, 1)], { ...cfg, maxLabelsPerState: 2 })).toMatchObject({ status: 'consensus', action: 0 });
    expect(aggregateLabels(discrete, [v(0, 1, true), v(2, 1)], { ...cfg, maxLabelsPerState: 2 })).toMatchObject({ action: 2 });
  });
  it('takes the per-dimension median for continuous actions', () => {
    const r = aggregateLabels(box, [v([0.1]), v([0.2]), v([1.9])], { ...cfg, labelsPerState: 3 });
    expect(r.action).toEqual([0.2]);
    expect(r.agreement).toBeGreaterThan(0.5);
    expect(r.agreement).toBeLessThan(1);
    expect(aggregateLabels(box, [v([0.5]), v([0.5])], cfg)).toEqual({ status: 'consensus', action: [0.5], agreement: 1 });
  });
  it('scores labelers from gold answers with a prior, flagging the unreliable', () => {
    expect(labelerAccuracy(0, 0)).toBe(0.5);
    expect(labelerAccuracy(9, 10)).toBeCloseTo(10 / 12);
    expect(labelerWeight(0.5, { flagBelow: 0.6, gold: 0 })).toBe(1);
    expect(isFlagged(labelerAccuracy(1, 6), { flagBelow: 0.6, gold: 6 })).toBe(true);
    expect(labelerWeight(labelerAccuracy(1, 6), { flagBelow: 0.6, gold: 6 })).toBeLessThan(0.2);
    expect(() => labelerAccuracy(3, 2)).toThrow();
  });
});
