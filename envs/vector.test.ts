import { describe, expect, it } from 'vitest';
import { getEnv } from './registry';
import { FastVectorEnv, VectorEnv } from './vector';

describe('vectorised runner', () => {
  it('is seeded and auto-resets at termination', () => {
    const a = new VectorEnv(getEnv('CartPole-v1'), 4, 7);
    const b = new VectorEnv(getEnv('CartPole-v1'), 4, 7);
    expect(a.obs).toEqual(b.obs);
    for (let t = 0; t < 200; t++) {
      a.step([0, 1, 0, 1]);
      b.step([0, 1, 0, 1]);
    }
    expect(a.obs).toEqual(b.obs);
    expect(a.episodes.length).toBeGreaterThan(4); // constant pushes fail fast
    expect(a.episodes.every((e) => e.terminated && e.length < 200)).toBe(true);
  });

  it('agrees with stepping the environments one by one', () => {
    const env = getEnv('LaneFollow-v0');
    const v = new VectorEnv(env, 3, 1);
    let states = [...v.states];
    for (let t = 0; t < 30; t++) {
      const actions = states.map((s) => env.expert(s));
      v.step(actions);
      states = states.map((s, i) => env.step(s, actions[i]!).state);
      states.forEach((s, i) => expect(Array.from(v.obs.subarray(i * env.observationSpace.size, (i + 1) * env.observationSpace.size))).toEqual(Array.from(env.observe(s))));
    }
  });

  it('fast kernels match the reference step and observe exactly', () => {
    for (const id of ['CartPole-v1', 'LaneFollow-v0']) {
      const env = getEnv(id);
      const slow = new VectorEnv(env, 5, 3);
      const fast = new FastVectorEnv(env, 5, 3);
      expect(fast.obs).toEqual(slow.obs);
      for (let t = 0; t < 300; t++) {
        const actions = slow.states.map((s) => env.expert(s) as number);
        slow.step(actions);
        fast.step(actions);
        expect(fast.obs).toEqual(slow.obs);
      }
    }
  });
});
