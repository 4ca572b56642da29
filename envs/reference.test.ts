/**
 * Faithfulness against Gymnasium 1.4.0's own trajectories (envs/__fixtures__, copied from
 * shared/reference): one step from every stored state within 1e-12 with bit-identical float32
 * observations, and free-running rollouts within 1e-6 with identical `terminated` flags.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { getEnv } from './registry';

interface Case {
  name: string;
  initial_state: number[];
  initial_observation: number[];
  actions: (number | number[])[];
  observations: number[][];
  rewards: number[];
  terminated: boolean[];
  states: number[][];
  first_terminated_step: number | null;
}

const dir = path.join(import.meta.dirname, '__fixtures__');
const CLASSIC = ['CartPole-v1', 'MountainCar-v0', 'MountainCarContinuous-v0', 'Acrobot-v1', 'Pendulum-v1'];
const action = (a: number | number[]) => (typeof a === 'number' && ['MountainCarContinuous-v0', 'Pendulum-v1'].includes(currentEnv) ? [a] : a);
let currentEnv = '';

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < b.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

for (const id of CLASSIC) {
  const ref = JSON.parse(fs.readFileSync(path.join(dir, `${id}.json`), 'utf8')) as { cases: Case[] };
  describe(`${id} against Gymnasium`, () => {
    const env = getEnv(id);
    for (const c of ref.cases) {
      it(`${c.name}: every single step from a stored state`, () => {
        currentEnv = id;
        expect(Array.from(env.observe(c.initial_state))).toEqual(c.initial_observation);
        for (let t = 0; t < c.actions.length; t++) {
          const from = t === 0 ? c.initial_state : c.states[t - 1]!;
          const r = env.step(from, action(c.actions[t]!));
          expect(maxAbsDiff(r.state as number[], c.states[t]!), `state after step ${t}`).toBeLessThanOrEqual(1e-12);
          expect(Array.from(env.observe(r.state)), `observation ${t}`).toEqual(c.observations[t]);
          expect(r.terminated, `terminated ${t}`).toBe(c.terminated[t]);
          if (c.first_terminated_step === null || t <= c.first_terminated_step) expect(r.reward).toBeCloseTo(c.rewards[t]!, 12);
        }
      });
      it(`${c.name}: free-running rollout`, () => {
        currentEnv = id;
        let s: unknown = c.initial_state;
        for (let t = 0; t < c.actions.length; t++) {
          const r = env.step(s, action(c.actions[t]!));
          s = r.state;
          expect(maxAbsDiff(env.observe(s), c.observations[t]!), `observation ${t}`).toBeLessThanOrEqual(1e-6);
          expect(r.terminated, `terminated ${t}`).toBe(c.terminated[t]);
        }
      });
    }
  });
}

describe('LaneFollow-v0 against its reference', () => {
  const ref = JSON.parse(fs.readFileSync(path.join(dir, 'LaneFollow-v0.json'), 'utf8')) as {
    cases: { seed: number; phi: number[]; actions: number[]; observations: number[][]; states: number[][]; rewards: number[]; terminated: boolean[]; table_check: Record<string, number> }[];
  };
  it('matches phases, track table, states, observations, rewards and termination', async () => {
    const { trackPhases, getTrack, trackTable } = await import('./lane-follow');
    const env = getEnv('LaneFollow-v0');
    for (const c of ref.cases) {
      expect(trackPhases(c.seed)).toEqual(c.phi);
      const t = trackTable(getTrack(c.seed));
      expect(t.x[100]).toBeCloseTo(c.table_check.x_100!, 10);
      expect(t.y[100]).toBeCloseTo(c.table_check.y_100!, 10);
      expect(t.x[t.x.length - 1]).toBeCloseTo(c.table_check.x_last!, 8);
      expect(t.y[t.y.length - 1]).toBeCloseTo(c.table_check.y_last!, 8);
      let s = env.reset(c.seed);
      for (let k = 0; k < c.actions.length; k++) {
        expect(maxAbsDiff(env.observe(s), c.observations[k]!), `observation ${k}`).toBeLessThanOrEqual(1e-6);
        const r = env.step(s, c.actions[k]!);
        s = r.state;
        expect(maxAbsDiff((s as number[]).slice(0, 4), c.states[k]!), `state ${k}`).toBeLessThanOrEqual(1e-9);
        expect(r.reward).toBeCloseTo(c.rewards[k]!, 9);
        expect(r.terminated).toBe(c.terminated[k]);
      }
    }
  });
});
