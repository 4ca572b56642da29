import { describe, expect, it } from 'vitest';
import { createRng } from './rng';
import { sampleDelayMs, simulateLabel } from './simulated-labeler';

const discrete = { kind: 'discrete' as const, n: 3, names: ['r', 'h', 'l'], keys: ['a', 's', 'd'] };
const box = { kind: 'box' as const, size: 2, low: [-2, 0], high: [2, 1], names: ['u', 'v'] };

describe('simulated labeler', () => {
  it('errs at the configured rate, uniformly over the other actions', () => {
    const rng = createRng(5);
    const answers = Array.from({ length: 6000 }, () => simulateLabel(1, discrete, { errorRate: 0.2, unsureRate: 0.1 }, rng));
    const count = (a: number) => answers.filter((x) => x.action === a).length / answers.length;
    expect(Math.abs(1 - count(1) - 0.2)).toBeLessThan(0.02);
    // The two wrong actions share the error evenly.
    expect(Math.abs(count(0) - 0.1)).toBeLessThan(0.015);
    expect(Math.abs(count(2) - 0.1)).toBeLessThan(0.015);
    expect(Math.abs(answers.filter((a) => a.unsure).length / answers.length - 0.1)).toBeLessThan(0.015);
  });

  it('never answers the expert action when it errs', () => {
    const rng = createRng(8);
    for (const expert of [0, 1, 2]) {
      for (let i = 0; i < 200; i++) expect(simulateLabel(expert, discrete, { errorRate: 1, unsureRate: 0 }, rng).action).not.toBe(expert);
    }
  });

  it('errs uniformly inside the box for continuous actions', () => {
    const rng = createRng(3);
    const wrong = Array.from({ length: 4000 }, () => simulateLabel([0.3, 0.5], box, { errorRate: 1, unsureRate: 0 }, rng).action as number[]);
    expect(wrong.every(([u, v]) => u! >= -2 && u! < 2 && v! >= 0 && v! < 1)).toBe(true);
    const meanU = wrong.reduce((a, [u]) => a + u!, 0) / wrong.length;
    expect(Math.abs(meanU)).toBeLessThan(0.08);
    expect(wrong.filter(([u]) => u! > 1).length / wrong.length).toBeCloseTo(0.25, 1);
  });

  it('is perfect with error rate 0 and reproducible with a seed', () => {
    const rng = createRng(1);
    expect(simulateLabel([0.3, 0.5], box, { errorRate: 0, unsureRate: 0 }, rng)).toEqual({ action: [0.3, 0.5], unsure: false });
    const run = (seed: number) => {
      const r = createRng(seed);
      return Array.from({ length: 50 }, () => simulateLabel(2, discrete, { errorRate: 0.3, unsureRate: 0.3 }, r));
    };
    expect(run(4)).toEqual(run(4));
    expect(run(4)).not.toEqual(run(5));
  });

  it('refuses bad rates and actions', () => {
    const rng = createRng(1);
    expect(() => simulateLabel(1, discrete, { errorRate: 1.2, unsureRate: 0 }, rng)).toThrow(/errorRate must be in \[0, 1\]/);
    expect(() => simulateLabel(1, discrete, { errorRate: 0, unsureRate: NaN }, rng)).toThrow(/unsureRate/);
    expect(() => simulateLabel(3, discrete, { errorRate: 0, unsureRate: 0 }, rng)).toThrow(/integer in \[0, 3\)/);
    expect(() => simulateLabel([1], box, { errorRate: 0, unsureRate: 0 }, rng)).toThrow(/2 numbers/);
  });
});

describe('labeling delay', () => {
  it('has the requested mean, a right skew, and no negative times', () => {
    const rng = createRng(12);
    const xs = Array.from({ length: 20_000 }, () => sampleDelayMs(2000, rng));
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const median = [...xs].sort((a, b) => a - b)[xs.length / 2]!;
    expect(Math.abs(mean / 2000 - 1)).toBeLessThan(0.03);
    // Log-normal with σ = 0.5: median = mean · e^(−σ²/2) ≈ 0.8825 · mean.
    expect(Math.abs(median / 2000 - Math.exp(-0.125))).toBeLessThan(0.03);
    expect(xs.every((x) => Number.isInteger(x) && x > 0)).toBe(true);
  });

  it('is exact with σ = 0, zero for a zero mean, and rejects nonsense', () => {
    const rng = createRng(1);
    expect(sampleDelayMs(750, rng, 0)).toBe(750);
    expect(sampleDelayMs(0, rng)).toBe(0);
    expect(() => sampleDelayMs(-1, rng)).toThrow(/meanMs/);
    expect(() => sampleDelayMs(10, rng, -1)).toThrow(/sigma/);
  });
});
