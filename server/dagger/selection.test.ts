import { describe, expect, it } from 'vitest';
import { createRng } from './rng';
import { parseSelection, selectStates, type SelectionRollout } from './selection';

const rollouts: SelectionRollout[] = [
  { rolloutIndex: 0, terminated: true, truncated: false, steps: Array.from({ length: 10 }, (_, t) => ({ t, disagreement: t / 10 })) },
  { rolloutIndex: 1, terminated: false, truncated: true, steps: Array.from({ length: 6 }, (_, t) => ({ t, disagreement: 1 - t / 10 })) },
];
const pick = (s: string, seed = 1) => selectStates(rollouts, parseSelection(s), createRng(seed)).map((x) => `${x.rolloutIndex}:${x.t}`);

describe('state selection', () => {
  it('all, stride and first', () => {
    expect(pick('all')).toHaveLength(16);
    expect(pick('stride:4')).toEqual(['0:0', '0:4', '0:8', '1:0', '1:4']);
    expect(pick('first:2')).toEqual(['0:0', '0:1', '1:0', '1:1']);
  });
  it('prefailure takes the last k states of terminated rollouts only', () => {
    expect(pick('prefailure:3')).toEqual(['0:7', '0:8', '0:9']);
  });
  it('random is seeded, within budget, without repeats', () => {
    expect(pick('random:5', 9)).toEqual(pick('random:5', 9));
    expect(new Set(pick('random:5', 9)).size).toBe(5);
    expect(pick('random:5', 9)).not.toEqual(pick('random:5', 10));
  });
  it('uncertainty takes the highest disagreement first', () => {
    expect(pick('uncertainty:3')).toEqual(['1:0', '0:9', '1:1']);
    expect(() => selectStates([{ ...rollouts[0]!, steps: [{ t: 0 }] }], parseSelection('uncertainty'), createRng(1))).toThrow(/ensemble/);
  });
  it('rejects malformed strings', () => {
    expect(() => parseSelection('stride')).toThrow(/needs a number/);
    expect(() => parseSelection('best:3')).toThrow(/selection must be/);
  });
});
