import { describe, expect, it } from 'vitest';
import type { ActionSpace } from '@/envs/types';
import { aggregateLabels, isFlagged, labelerAccuracy, labelerWeight, weightedMedian, type Vote } from './aggregate';
import { createRng } from './rng';
import { simulateLabel } from './simulated-labeler';

const discrete: ActionSpace = { kind: 'discrete', n: 3, names: ['a', 'b', 'c'], keys: ['1', '2', '3'] };
const box: ActionSpace = { kind: 'box', size: 1, low: [-2], high: [2], names: ['u'] };
const box2: ActionSpace = { kind: 'box', size: 2, low: [0, -1], high: [1, 1], names: ['throttle', 'steer'] };
const cfg = { labelsPerState: 2, maxLabelsPerState: 3, minAgreement: 0.6 };
const v = (action: number | number[], weight = 1, unsure = false): Vote => ({ action, weight, unsure });
const skip: Vote = { action: null, unsure: false, weight: 1, skipped: true };

describe('discrete aggregation', () => {
  it('waits for the required number of labels, reporting the best so far', () => {
    expect(aggregateLabels(discrete, [v(1)], cfg)).toMatchObject({ status: 'needs_more', action: 1, agreement: 1 });
    expect(aggregateLabels(discrete, [], cfg)).toMatchObject({ status: 'needs_more', action: null, agreement: 0 });
  });

  it('settles agreement, and asks for more on a tie until the maximum', () => {
    expect(aggregateLabels(discrete, [v(2), v(2)], cfg)).toEqual({
      status: 'consensus',
      action: 2,
      agreement: 1,
      lowAgreement: false,
      votes: [{ action: 2, weight: 2, count: 2 }],
    });
    expect(aggregateLabels(discrete, [v(0), v(2)], cfg).status).toBe('needs_more');
    const three = aggregateLabels(discrete, [v(0), v(2), v(2)], cfg);
    expect(three).toMatchObject({ status: 'consensus', action: 2, lowAgreement: false });
    expect(three.agreement).toBeCloseTo(2 / 3, 12);
    expect(three.votes.map((t) => t.action)).toEqual([2, 0]);
  });

  it('asks for more below minAgreement, then settles best effort flagged as low agreement', () => {
    const strict = { labelsPerState: 3, maxLabelsPerState: 4, minAgreement: 0.75 };
    expect(aggregateLabels(discrete, [v(1), v(1), v(0)], strict).status).toBe('needs_more');
    expect(aggregateLabels(discrete, [v(1), v(1), v(0), v(2)], strict)).toMatchObject({ status: 'consensus', action: 1, agreement: 0.5, lowAgreement: true });
    // A tie at the maximum goes to the lower action index, whatever the label order.
    for (const order of [[v(2), v(0)], [v(0), v(2)]]) {
      expect(aggregateLabels(discrete, order, { ...cfg, maxLabelsPerState: 2 })).toMatchObject({ status: 'consensus', action: 0, lowAgreement: true });
    }
  });

  it('weights votes by labeler quality and halves unsure ones', () => {
    expect(aggregateLabels(discrete, [v(0, 1.8), v(2, 1)], { ...cfg, maxLabelsPerState: 2 })).toMatchObject({ action: 0, lowAgreement: false });
    expect(aggregateLabels(discrete, [v(0, 1, true), v(2, 1)], { ...cfg, maxLabelsPerState: 2 })).toMatchObject({ action: 2 });
    // Two unsure votes equal one sure vote: a tie.
    expect(aggregateLabels(discrete, [v(0, 1, true), v(0, 1, true), v(1)], { ...cfg, labelsPerState: 3, maxLabelsPerState: 4 }).status).toBe('needs_more');
  });

  it('ignores skipped labels, which still use up the maximum', () => {
    expect(aggregateLabels(discrete, [skip, v(1)], cfg)).toMatchObject({ status: 'needs_more', action: 1 });
    expect(aggregateLabels(discrete, [skip, v(1), v(1)], cfg)).toMatchObject({ status: 'consensus', action: 1, agreement: 1 });
    expect(aggregateLabels(discrete, [skip, skip], cfg)).toMatchObject({ status: 'needs_more', action: null });
    expect(aggregateLabels(discrete, [skip, skip, skip], cfg)).toMatchObject({ status: 'unresolvable', action: null });
  });

  it('refuses votes outside the action space', () => {
    expect(() => aggregateLabels(discrete, [v(3)], cfg)).toThrow(/integer in \[0, 3\)/);
    expect(() => aggregateLabels(discrete, [v([1])], cfg)).toThrow(/integer/);
    expect(() => aggregateLabels(box, [v([1, 2])], cfg)).toThrow(/1 finite numbers/);
    expect(() => aggregateLabels(discrete, [v(1, -1)], cfg)).toThrow(/weight/);
  });

  it('a weighted crowd beats its members (seeded simulation)', () => {
    // Three labelers err 25 % of the time each; majority of three should be right ≈ 84 % + (ties help).
    const rng = createRng(2024);
    const crowd = { labelsPerState: 3, maxLabelsPerState: 3, minAgreement: 0.5 };
    let single = 0;
    let voted = 0;
    const n = 3000;
    for (let i = 0; i < n; i++) {
      const expert = rng.int(3);
      const answers = [0, 1, 2].map(() => simulateLabel(expert, discrete, { errorRate: 0.25, unsureRate: 0 }, rng));
      if (answers[0]!.action === expert) single++;
      if (aggregateLabels(discrete, answers.map((a) => v(a.action)), crowd).action === expert) voted++;
    }
    expect(single / n).toBeGreaterThan(0.72);
    expect(single / n).toBeLessThan(0.78);
    expect(voted / n).toBeGreaterThan(0.83);
  });
});

describe('continuous aggregation', () => {
  it('takes the per-dimension median, so one wild label does not move it', () => {
    const r = aggregateLabels(box, [v([0.1]), v([0.2]), v([1.9])], { ...cfg, labelsPerState: 3 });
    expect(r.action).toEqual([0.2]);
    // Mean |x − 0.2| = (0.1 + 0 + 1.7)/3 = 0.6 over a range of 4.
    expect(r.agreement).toBeCloseTo(1 - 0.6 / 4, 12);
    expect(aggregateLabels(box, [v([0.5]), v([0.5])], cfg)).toMatchObject({ status: 'consensus', action: [0.5], agreement: 1 });
    expect(aggregateLabels(box, [v([0]), v([1])], cfg).action).toEqual([0.5]);
    const two = aggregateLabels(box2, [v([0.2, -1]), v([0.4, 0]), v([0.9, 1])], { ...cfg, labelsPerState: 3 });
    expect(two.action).toEqual([0.4, 0]);
    expect(two.votes).toHaveLength(3);
  });

  it('needs the required labels and asks for more when labels spread', () => {
    expect(aggregateLabels(box, [v([0.5])], cfg).status).toBe('needs_more');
    const spread = [v([-2]), v([2])];
    expect(aggregateLabels(box, spread, cfg)).toMatchObject({ status: 'needs_more', agreement: 0.5 });
    expect(aggregateLabels(box, spread, { ...cfg, maxLabelsPerState: 2 })).toMatchObject({ status: 'consensus', lowAgreement: true });
  });

  it('weights and unsure labels move the weighted median', () => {
    expect(aggregateLabels(box, [v([0], 3), v([1]), v([1.5])], { ...cfg, labelsPerState: 3 }).action).toEqual([0]);
    expect(aggregateLabels(box, [v([0], 1, true), v([1]), v([1.5])], { ...cfg, labelsPerState: 3 }).action).toEqual([1]);
  });

  it('weightedMedian', () => {
    const pts = (xs: number[], ws = xs.map(() => 1)) => xs.map((x, i) => ({ x, w: ws[i]! }));
    expect(weightedMedian(pts([1, 2, 3]))).toBe(2);
    expect(weightedMedian(pts([1, 2, 3, 4]))).toBe(2.5);
    expect(weightedMedian(pts([1, 2, 3], [5, 1, 1]))).toBe(1);
    expect(() => weightedMedian([])).toThrow(/no values/);
  });
});

describe('labeler quality', () => {
  it('scores labelers from gold answers with a Beta prior', () => {
    expect(labelerAccuracy(0, 0)).toBe(0.5);
    expect(labelerAccuracy(9, 10)).toBeCloseTo(10 / 12, 12);
    expect(labelerAccuracy(9, 10, { alpha: 4, beta: 1 })).toBeCloseTo(13 / 15, 12);
    expect(() => labelerAccuracy(3, 2)).toThrow(/bad gold tally/);
    expect(() => labelerAccuracy(1.5, 2)).toThrow(/integers/);
    expect(() => labelerAccuracy(1, 2, { alpha: 0, beta: 1 })).toThrow(/prior/);
  });

  it('weights and flags the unreliable, but only after enough gold answers', () => {
    expect(labelerWeight(0.5, { flagBelow: 0.6, gold: 0 })).toBe(1);
    expect(labelerWeight(labelerAccuracy(10, 10), { flagBelow: 0.6, gold: 10 })).toBeCloseTo(2 * (11 / 12), 12);
    expect(isFlagged(labelerAccuracy(1, 6), { flagBelow: 0.6, gold: 6 })).toBe(true);
    expect(isFlagged(labelerAccuracy(0, 2), { flagBelow: 0.6, gold: 2 })).toBe(false);
    expect(isFlagged(labelerAccuracy(0, 2), { flagBelow: 0.6, gold: 2, minGold: 2 })).toBe(true);
    expect(labelerWeight(labelerAccuracy(1, 6), { flagBelow: 0.6, gold: 6 })).toBeCloseTo(2 * 0.25 * 0.25, 12);
    expect(() => labelerWeight(1.2, { flagBelow: 0.6, gold: 0 })).toThrow(/accuracy/);
  });
});
