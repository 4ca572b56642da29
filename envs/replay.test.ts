import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { getEnv } from './registry';
import { parseReplayCase, replay } from './replay';
import { EnvInputError } from './types';

const FIXTURES = path.join(import.meta.dirname, '__fixtures__');
const load = (id: string) => JSON.parse(fs.readFileSync(path.join(FIXTURES, `${id}.json`), 'utf8')) as { cases: Record<string, unknown>[] };
const maxAbsDiff = (a: unknown[], b: unknown[]) => Math.max(0, ...(a as number[][]).flatMap((row, t) => row.map((v, j) => Math.abs(v - (b as number[][])[t]![j]!))));

describe('replay (the `env replay` command)', () => {
  for (const id of ['CartPole-v1', 'MountainCar-v0', 'MountainCarContinuous-v0', 'Acrobot-v1', 'Pendulum-v1', 'LaneFollow-v0']) {
    it(`${id}: reproduces the reference file's layout and values`, () => {
      for (const ref of load(id).cases) {
        const c = parseReplayCase(id === 'LaneFollow-v0' ? { seed: ref.seed, actions: ref.actions } : { initial_state: ref.initial_state, actions: ref.actions });
        const out = replay(getEnv(id), c);
        const T = (ref.actions as unknown[]).length;
        expect([out.observations.length, out.rewards.length, out.terminated.length, out.states.length]).toEqual([T, T, T, T]);
        expect(maxAbsDiff(out.observations, ref.observations as unknown[])).toBeLessThanOrEqual(1e-6);
        expect(maxAbsDiff(out.states, ref.states as unknown[])).toBeLessThanOrEqual(1e-9);
        expect(out.terminated).toEqual(ref.terminated);
        // The output is plain JSON.
        expect(JSON.parse(JSON.stringify(out))).toEqual(out);
      }
    });
  }

  it('LunarLander-v3 replays from a seed, deterministically', () => {
    const c = parseReplayCase({ seed: 4, actions: [0, 2, 2, 1, 3, 0] });
    const a = replay(getEnv('LunarLander-v3'), c);
    expect(replay(getEnv('LunarLander-v3'), c)).toEqual(a);
    expect(a.observations).toHaveLength(6);
    expect(a.observations[0]).toHaveLength(8);
    expect((a.states[5] as { t: number }).t).toBe(6);
  });

  it('refuses malformed cases with a clear message', () => {
    expect(() => parseReplayCase([])).toThrow(EnvInputError);
    expect(() => parseReplayCase({ seed: 1 })).toThrow(/"actions" array/);
    expect(() => parseReplayCase({ actions: [] })).toThrow(/exactly one of "initial_state" and "seed"/);
    expect(() => parseReplayCase({ seed: 1, initial_state: [0, 0], actions: [] })).toThrow(/exactly one/);
    expect(() => parseReplayCase({ seed: 'x', actions: [] })).toThrow(/"seed" must be an integer/);
    expect(() => replay(getEnv('CartPole-v1'), parseReplayCase({ initial_state: [0, 0, 0, 0], actions: [0, 1, 7] }))).toThrow(/actions\[2\]: CartPole-v1: action must be an integer in 0\.\.1, got 7/);
    expect(() => replay(getEnv('CartPole-v1'), parseReplayCase({ initial_state: [0, 0, 0], actions: [0] }))).toThrow(/state must be an array of 4 numbers/);
  });
});
