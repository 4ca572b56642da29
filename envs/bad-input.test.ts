/** Bad input gets a clear error, never a silent clamp. */
import { describe, expect, it } from 'vitest';
import { ENV_IDS, getEnv } from './registry';
import { EnvInputError } from './types';

describe('bad input', () => {
  for (const id of ENV_IDS) {
    const env = getEnv(id);
    const s = env.reset(0);
    it(`${id} refuses actions outside its space`, () => {
      const bad = env.actionSpace.kind === 'discrete' ? [env.actionSpace.n, -1, 0.5, NaN, '1', [0]] : [NaN, [Infinity], [0, 0], 'x', [null]];
      for (const a of bad) expect(() => env.step(s, a as never), JSON.stringify(a)).toThrow(EnvInputError);
    });
    it(`${id} refuses malformed states, naming the expected layout`, () => {
      expect(() => env.step([1, 2, 3, 4, 5, 6, 7, 8], env.expert(s))).toThrow(/state must be an array of \d+ numbers/);
      expect(() => env.parseState((s as number[]).map(() => NaN))).toThrow(/finite number/);
      expect(() => env.parseState('hello')).toThrow(EnvInputError);
    });
  }
  it('clips continuous actions only where Gymnasium does (Pendulum torque), documented', () => {
    const env = getEnv('Pendulum-v1');
    const a = env.step([0.5, 0], [5]);
    const b = env.step([0.5, 0], [2]);
    expect(a.state).toEqual(b.state);
  });
});
