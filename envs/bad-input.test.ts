/** Bad input gets an EnvInputError with a clear message, never a silent clamp. */
import { describe, expect, it } from 'vitest';
import { ENV_IDS, getEnv } from './registry';
import { EnvInputError } from './types';

describe('bad input', () => {
  for (const id of ENV_IDS) {
    const env = getEnv(id);
    const s = env.reset(0);
    const arrayState = Array.isArray(s);

    it(`${id} refuses actions outside its space`, () => {
      const bad =
        env.actionSpace.kind === 'discrete'
          ? [env.actionSpace.n, -1, 0.5, NaN, Infinity, '1', [0], null, undefined, true]
          : [NaN, [NaN], [Infinity], [-Infinity], Array(env.actionSpace.size + 1).fill(0), [], 'x', [null], ['1'], {}, null];
      for (const a of bad) {
        expect(() => env.step(s, a as never), `action ${String(a)}`).toThrow(EnvInputError);
      }
      const message = env.actionSpace.kind === 'discrete' ? new RegExp(`${id}: action must be an integer in 0\\.\\.${env.actionSpace.n - 1}, got 0\\.5`) : new RegExp(`${id}: action\\[0\\] must be a finite number, got NaN`);
      expect(() => env.step(s, (env.actionSpace.kind === 'discrete' ? 0.5 : [NaN]) as never)).toThrow(message);
    });

    it(`${id} needs an integer seed`, () => {
      for (const seed of [1.5, NaN, Infinity, '3']) expect(() => env.reset(seed as never), String(seed)).toThrow(new RegExp(`${id}: seed must be an integer`));
      expect(env.reset(2 ** 40)).toEqual(env.reset(2 ** 40));
    });

    it(`${id} refuses malformed states, saying what it expected and what it found`, () => {
      const a = env.expert(s);
      for (const bad of ['hello', null, undefined, 3, [], [1, 2, 3, 4, 5, 6, 7, 8, 9]]) {
        expect(() => env.step(bad as never, a), JSON.stringify(bad)).toThrow(EnvInputError);
        expect(() => env.parseState(bad)).toThrow(EnvInputError);
      }
      if (arrayState) {
        const n = (s as number[]).length;
        expect(() => env.parseState([1, 2, 3, 4, 5, 6, 7, 8, 9])).toThrow(new RegExp(`${id}: state must be an array of ${n} numbers \\(.*\\), got 9 values`));
        const withNaN = (s as number[]).map((v, i) => (i === 0 ? NaN : v));
        expect(() => env.step(withNaN, a)).toThrow(/must be a finite number, got NaN/);
        expect(() => env.parseState((s as number[]).map((v, i) => (i === 1 ? Infinity : v)))).toThrow(/must be a finite number, got Infinity/);
        expect(() => env.parseState((s as number[]).map((v, i) => (i === 0 ? String(v) : v)))).toThrow(EnvInputError);
      }
      // A valid state survives parseState unchanged.
      expect(env.parseState(JSON.parse(JSON.stringify(s)))).toEqual(s);
    });
  }

  it('box actions may be typed arrays or, in one dimension, bare numbers', () => {
    for (const id of ['Pendulum-v1', 'MountainCarContinuous-v0']) {
      const env = getEnv(id);
      const s = env.reset(1);
      expect(env.step(s, Float32Array.of(0.5) as never)).toEqual(env.step(s, [0.5]));
      expect(env.step(s, 0.5)).toEqual(env.step(s, [0.5]));
    }
  });

  it('Pendulum clips torque to ±2 in its dynamics and reward, as Gymnasium does (documented, not a repair)', () => {
    const env = getEnv('Pendulum-v1');
    expect(env.step([0.5, 0], [5])).toEqual(env.step([0.5, 0], [2]));
  });

  it('MountainCarContinuous clips the force in its dynamics but charges the unclipped action, as Gymnasium does', () => {
    const env = getEnv('MountainCarContinuous-v0');
    const big = env.step([-0.5, 0], [3]);
    const one = env.step([-0.5, 0], [1]);
    expect(big.state).toEqual(one.state);
    expect(big.reward).toBeCloseTo(-0.9, 12);
    expect(one.reward).toBeCloseTo(-0.1, 12);
  });

  it('LaneFollow needs an integer seed, which names the track', () => {
    const env = getEnv('LaneFollow-v0');
    expect(() => env.reset(1.5)).toThrow(EnvInputError);
    expect(() => env.step([0, 0, 0, 0, 1.5], 1)).toThrow(/seed must be an integer/);
  });
});
