import { describe, expect, it } from 'vitest';
import { rolloutWindow } from './rollout-window';

const rollout = (n: number, withPolicy = true) => ({
  states: Array.from({ length: n }, (_, i) => ({ i })),
  actions: Array.from({ length: n }, (_, i) => i % 2),
  policyActions: withPolicy ? Array.from({ length: n }, (_, i) => (i + 1) % 2) : null,
});

describe('rollout window', () => {
  it('takes the steps before the state and a few after, aligned across states and actions', () => {
    const w = rolloutWindow(rollout(500), 200, 150, 30);
    expect(w.startT).toBe(50);
    expect(w.states).toHaveLength(181);
    expect(w.states[200 - w.startT]).toEqual({ i: 200 });
    expect(w.actions[0]).toBe(50 % 2);
    expect(w.policyActions![180]).toBe((230 + 1) % 2);
  });

  it('clips at both ends of the rollout and keeps hidden policy actions hidden', () => {
    const early = rolloutWindow(rollout(40, false), 5, 150, 30);
    expect(early.startT).toBe(0);
    expect(early.states).toHaveLength(36);
    expect(early.policyActions).toBeNull();
    const late = rolloutWindow(rollout(40), 39, 150, 30);
    expect(late.states.at(-1)).toEqual({ i: 39 });
    expect(late.states).toHaveLength(40);
  });
});
