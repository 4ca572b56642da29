import { describe, expect, it } from 'vitest';
import { createRng } from './rng';
import { DEFAULT_BUDGET, formatSelection, parseSelection, selectStates, type SelectionRollout } from './selection';

const rollouts: SelectionRollout[] = [
  { rolloutIndex: 0, terminated: true, truncated: false, steps: Array.from({ length: 10 }, (_, t) => ({ t, disagreement: t / 10 })) },
  { rolloutIndex: 1, terminated: false, truncated: true, steps: Array.from({ length: 6 }, (_, t) => ({ t, disagreement: 1 - t / 10 })) },
];
const select = (s: string, seed = 1, rs = rollouts) => selectStates(rs, parseSelection(s), createRng(seed));
const pick = (s: string, seed = 1, rs = rollouts) => select(s, seed, rs).map((x) => `${x.rolloutIndex}:${x.t}`);

describe('state selection', () => {
  it('all, stride and first', () => {
    expect(pick('all')).toHaveLength(16);
    expect(pick('stride:4')).toEqual(['0:0', '0:4', '0:8', '1:0', '1:4']);
    expect(pick('first:2')).toEqual(['0:0', '0:1', '1:0', '1:1']);
    expect(pick('first:100')).toHaveLength(16);
    expect(select('stride:4')[0]?.reason).toBe('stride:4');
  });

  it('reads rollouts and steps in a fixed order, whatever the input order', () => {
    const shuffled = [...rollouts].reverse().map((r) => ({ ...r, steps: createRng(2).shuffle([...r.steps]) }));
    for (const s of ['all', 'stride:3', 'first:4', 'prefailure:2', 'random:7', 'uncertainty:5']) expect(pick(s, 5, shuffled)).toEqual(pick(s, 5));
  });

  it('caps deterministic strategies at the budget, keeping the earliest', () => {
    expect(selectStates(rollouts, parseSelection('all', { budget: 3 }), createRng(1)).map((x) => x.t)).toEqual([0, 1, 2]);
    expect(selectStates(rollouts, { strategy: 'first', k: 5, budget: 7 }, createRng(1))).toHaveLength(7);
  });

  it('prefailure takes the last k states of terminated rollouts only, saying how far from the end', () => {
    expect(pick('prefailure:3')).toEqual(['0:7', '0:8', '0:9']);
    expect(select('prefailure:3').map((x) => x.reason)).toEqual([
      'prefailure: 3 steps before termination',
      'prefailure: 2 steps before termination',
      'prefailure: 1 step before termination',
    ]);
    // k longer than the rollout: the whole rollout.
    expect(pick('prefailure:50')).toHaveLength(10);
    expect(pick('prefailure:3', 1, [{ rolloutIndex: 4, terminated: true, truncated: false, steps: [] }])).toEqual([]);
  });

  it('random is seeded, within budget, without repeats, and roughly uniform', () => {
    expect(pick('random:5', 9)).toEqual(pick('random:5', 9));
    expect(new Set(pick('random:5', 9)).size).toBe(5);
    expect(pick('random:5', 9)).not.toEqual(pick('random:5', 10));
    expect(pick('random:500')).toHaveLength(16);
    expect(parseSelection('random').budget).toBe(DEFAULT_BUDGET);
    // Each of the 16 states is picked with probability 4/16 over many seeds.
    const hits = new Map<string, number>();
    for (let seed = 0; seed < 4000; seed++) for (const k of pick('random:4', seed)) hits.set(k, (hits.get(k) ?? 0) + 1);
    expect(hits.size).toBe(16);
    for (const h of hits.values()) expect(Math.abs(h - 1000)).toBeLessThan(120);
  });

  it('uncertainty takes the highest disagreement first, breaking ties by rollout then time', () => {
    expect(pick('uncertainty:3')).toEqual(['1:0', '0:9', '1:1']);
    expect(select('uncertainty:3')[2]?.reason).toBe('uncertainty: disagreement 0.900 (rank 3)');
    const flat: SelectionRollout[] = [1, 0].map((i) => ({ rolloutIndex: i, terminated: false, truncated: true, steps: [2, 0, 1].map((t) => ({ t, disagreement: 0.5 })) }));
    expect(pick('uncertainty:4', 1, flat)).toEqual(['0:0', '0:1', '0:2', '1:0']);
    // The rng is not used: the same states for any seed.
    expect(pick('uncertainty:4', 7, flat)).toEqual(pick('uncertainty:4', 8, flat));
    expect(() => selectStates([{ ...rollouts[0]!, steps: [{ t: 0 }] }], parseSelection('uncertainty'), createRng(1))).toThrow(/ensemble policy.*rollout 0, t = 0/);
    expect(() => selectStates([{ ...rollouts[0]!, steps: [{ t: 3, disagreement: NaN }] }], parseSelection('uncertainty'), createRng(1))).toThrow(/ensemble/);
  });

  it('parses and formats the compact CLI form', () => {
    expect(parseSelection(' stride:5 ')).toEqual({ strategy: 'stride', k: 5 });
    expect(parseSelection('first:100')).toEqual({ strategy: 'first', k: 100 });
    expect(parseSelection('uncertainty:20')).toEqual({ strategy: 'uncertainty', k: 100, budget: 20 });
    expect(parseSelection('all')).toEqual({ strategy: 'all', k: 100 });
    for (const s of ['all', 'stride:3', 'first:100', 'prefailure:2', 'random:40', 'uncertainty:9']) expect(formatSelection(parseSelection(s))).toBe(s);
  });

  it('rejects malformed strings with a message that says what is wrong', () => {
    expect(() => parseSelection('stride')).toThrow(/needs a number/);
    expect(() => parseSelection('best:3')).toThrow(/selection must be all, stride:k/);
    expect(() => parseSelection('')).toThrow(/selection must be/);
    expect(() => parseSelection('stride:0')).toThrow(/"0" is not a positive integer/);
    expect(() => parseSelection('first:2.5')).toThrow(/not a positive integer/);
    expect(() => parseSelection('random:x')).toThrow(/not a positive integer/);
    expect(() => parseSelection('all:5')).toThrow(/takes no number/);
    expect(() => parseSelection('all', { budget: 0 })).toThrow(/budget must be at least 1/);
  });
});
