/**
 * Faithfulness against the reference trajectories (envs/__fixtures__, copied from shared/reference):
 * Gymnasium 1.4.0's own classic-control code, and this project's LaneFollow-v0 specification.
 *
 * - one step from every stored state: state within 1e-12, observation bit-identical after Math.fround,
 *   same terminated flag and reward;
 * - a free-running rollout of all steps: observations within 1e-6, identical terminated flags.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { getTrack, trackPhases, trackTable } from './lane-follow';
import { getEnv } from './registry';
import type { Action, Env } from './types';

interface GymCase {
  name: string;
  initial_state: number[];
  initial_observation: number[];
  actions: number[];
  observations: number[][];
  rewards: number[];
  terminated: boolean[];
  states: number[][];
  first_terminated_step: number | null;
}

interface LaneCase {
  seed: number;
  mode: string;
  phi: number[];
  actions: number[];
  observations: number[][];
  states: number[][];
  rewards: number[];
  terminated: boolean[];
  table_check: { x_100: number; y_100: number; x_last: number; y_last: number };
}

const FIXTURES = path.join(import.meta.dirname, '__fixtures__');
const load = <T>(id: string) => JSON.parse(fs.readFileSync(path.join(FIXTURES, `${id}.json`), 'utf8')) as { cases: T[] };

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < b.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};
const f32 = (xs: number[]) => xs.map(Math.fround);

/** Reference files write a Box(1,) action as its float32 value; our box actions are arrays. */
const asAction = (env: Env<unknown>, a: number): Action => (env.actionSpace.kind === 'box' ? [a] : a);

for (const id of ['CartPole-v1', 'MountainCar-v0', 'MountainCarContinuous-v0', 'Acrobot-v1', 'Pendulum-v1']) {
  describe(`${id} against Gymnasium 1.4.0`, () => {
    const env = getEnv(id);
    const { cases } = load<GymCase>(id);
    it('has reference cases', () => expect(cases.length).toBeGreaterThan(0));
    for (const c of cases) {
      it(`${c.name}: one step from every stored state`, () => {
        expect(Array.from(env.observe(c.initial_state))).toEqual(f32(c.initial_observation));
        for (let t = 0; t < c.actions.length; t++) {
          const from = t === 0 ? c.initial_state : c.states[t - 1]!;
          const r = env.step(from, asAction(env, c.actions[t]!));
          expect(maxAbsDiff(r.state as number[], c.states[t]!), `state after step ${t}`).toBeLessThanOrEqual(1e-12);
          expect(Array.from(env.observe(r.state)), `observation ${t}`).toEqual(f32(c.observations[t]!));
          expect(r.terminated, `terminated ${t}`).toBe(c.terminated[t]);
          // After termination Gymnasium's raw CartPole returns 0 and warns; our episodes end there.
          if (c.first_terminated_step === null || t <= c.first_terminated_step) expect(Math.abs(r.reward - c.rewards[t]!), `reward ${t}`).toBeLessThanOrEqual(1e-12);
        }
      });
      it(`${c.name}: free-running rollout`, () => {
        let s: unknown = c.initial_state;
        for (let t = 0; t < c.actions.length; t++) {
          const r = env.step(s, asAction(env, c.actions[t]!));
          s = r.state;
          expect(maxAbsDiff(env.observe(s), c.observations[t]!), `observation ${t}`).toBeLessThanOrEqual(1e-6);
          expect(r.terminated, `terminated ${t}`).toBe(c.terminated[t]);
        }
      });
    }
  });
}

describe('LaneFollow-v0 against its specification', () => {
  const env = getEnv('LaneFollow-v0');
  const { cases } = load<LaneCase>('LaneFollow-v0');
  it('has reference cases', () => expect(cases.length).toBeGreaterThan(0));
  for (const c of cases) {
    it(`seed ${c.seed} (${c.mode}): track phases and table`, () => {
      expect(trackPhases(c.seed)).toEqual(c.phi);
      const t = trackTable(getTrack(c.seed));
      expect(t.x.length).toBe(1841); // every 0.25 m out to 460 m
      expect(Math.abs(t.x[100]! - c.table_check.x_100)).toBeLessThanOrEqual(1e-12);
      expect(Math.abs(t.y[100]! - c.table_check.y_100)).toBeLessThanOrEqual(1e-12);
      expect(Math.abs(t.x[1840]! - c.table_check.x_last)).toBeLessThanOrEqual(1e-9);
      expect(Math.abs(t.y[1840]! - c.table_check.y_last)).toBeLessThanOrEqual(1e-9);
    });
    it(`seed ${c.seed} (${c.mode}): one step from every stored state`, () => {
      for (let k = 0; k < c.actions.length; k++) {
        const from = k === 0 ? env.reset(c.seed) : [...c.states[k - 1]!, c.seed];
        expect(Array.from(env.observe(from)), `observation before action ${k}`).toEqual(f32(c.observations[k]!));
        const r = env.step(from, c.actions[k]!);
        expect(maxAbsDiff((r.state as number[]).slice(0, 4), c.states[k]!), `state after action ${k}`).toBeLessThanOrEqual(1e-12);
        expect(Math.abs(r.reward - c.rewards[k]!), `reward ${k}`).toBeLessThanOrEqual(1e-12);
        expect(r.terminated, `terminated ${k}`).toBe(c.terminated[k]);
      }
    });
    it(`seed ${c.seed} (${c.mode}): free-running rollout`, () => {
      let s = env.reset(c.seed);
      for (let k = 0; k < c.actions.length; k++) {
        expect(maxAbsDiff(env.observe(s), c.observations[k]!), `observation ${k}`).toBeLessThanOrEqual(1e-6);
        const r = env.step(s, c.actions[k]!);
        s = r.state;
        expect(maxAbsDiff((s as number[]).slice(0, 4), c.states[k]!), `state ${k}`).toBeLessThanOrEqual(1e-9);
        expect(r.terminated, `terminated ${k}`).toBe(c.terminated[k]);
      }
    });
  }
});
