import { describe, expect, it } from 'vitest';
import { createRng } from './rng';
import { simulateLabel } from './simulated-labeler';

describe('simulated labeler', () => {
  it('errs at the configured rate, never returning the expert action when wrong', () => {
    const rng = createRng(5);
    const space = { kind: 'discrete' as const, n: 3, names: ['r', 'h', 'l'], keys: ['a', 's', 'd'] };
    const answers = Array.from({ length: 5000 }, () => simulateLabel(1, space, { errorRate: 0.2, unsureRate: 0.1 }, rng));
    const wrong = answers.filter((a) => a.action !== 1).length / answers.length;
    expect(Math.abs(wrong - 0.2)).toBeLessThan(0.02);
    expect(answers.filter((a) => a.unsure).length / answers.length).toBeCloseTo(0.1, 1);
    expect(new Set(answers.map((a) => a.action))).toEqual(new Set([0, 1, 2]));
  });
  it('is perfect with error rate 0', () => {
    const rng = createRng(1);
    const box = { kind: 'box' as const, size: 1, low: [-2], high: [2], names: ['u'] };
    expect(simulateLabel([0.3], box, { errorRate: 0, unsureRate: 0 }, rng)).toEqual({ action: [0.3], unsure: false });
  });
});
