import { describe, expect, it } from 'vitest';
import { mulberry32 } from './random';
import { ENV_IDS, getEnv } from './registry';
import { EnvInputError, type Action, type Env } from './types';
import { episodeSeed, VectorEnv } from './vector';

/** Seeded actions: mostly the expert, sometimes random (so episodes both succeed and fail). */
function policy(env: Env<unknown>, seed: number) {
  const r = mulberry32(seed);
  const space = env.actionSpace;
  return (s: unknown): Action => {
    if (r() > 0.3) return env.expert(s);
    return space.kind === 'discrete' ? Math.floor(r() * space.n) : space.low.map((lo, d) => lo + r() * (space.high[d]! - lo));
  };
}

describe('vectorised runner', () => {
  it('derives per-row, per-episode seeds deterministically', () => {
    expect(episodeSeed(1, 0, 0)).toBe(episodeSeed(1, 0, 0));
    const seeds = new Set<number>();
    for (let row = 0; row < 50; row++) for (let ep = 0; ep < 50; ep++) seeds.add(episodeSeed(7, row, ep));
    expect(seeds.size).toBe(2500);
    for (const s of seeds) expect(Number.isInteger(s) && s >= 0 && s < 2 ** 31).toBe(true);
    expect(episodeSeed(8, 0, 0)).not.toBe(episodeSeed(7, 0, 0));
  });

  it('is reproducible from its seed and auto-resets at termination', () => {
    const run = (seed: number) => {
      const v = new VectorEnv(getEnv('CartPole-v1'), 4, seed);
      const trace: number[] = [];
      for (let t = 0; t < 200; t++) {
        const out = v.step([0, 1, 0, 1]); // constant pushes fail fast
        trace.push(...v.obs, ...out.rewards, ...out.terminated, ...out.episodeLength);
      }
      return { trace, finished: v.episodesFinished };
    };
    const a = run(7);
    expect(run(7)).toEqual(a);
    expect(run(8).trace).not.toEqual(a.trace);
    expect(a.finished).toBeGreaterThan(8);
  });

  it('reports finished episodes and starts the next one from its seed', () => {
    const env = getEnv('CartPole-v1');
    const v = new VectorEnv(env, 3, 5);
    const episodes = [0, 0, 0];
    for (let t = 0; t < 100; t++) {
      const out = v.step([1, 1, 1]);
      for (const e of v.finishedEpisodes()) {
        expect(e.terminated).toBe(true);
        expect(e.return).toBe(e.length); // reward 1 per step
        expect(out.episodeLength[e.row]).toBe(e.length);
        episodes[e.row]!++;
        const start = env.observe(env.reset(episodeSeed(5, e.row, episodes[e.row]!)));
        expect(Array.from(v.obs.subarray(e.row * 4, e.row * 4 + 4))).toEqual(Array.from(start));
        expect(v.currentSeed(e.row)).toBe(episodeSeed(5, e.row, episodes[e.row]!));
      }
      expect(out.finished).toBe(out.terminated.reduce((a, b) => a + b, 0));
    }
    expect(episodes.every((n) => n > 2)).toBe(true);
  });

  it('truncates at the horizon', () => {
    const env = getEnv('Pendulum-v1'); // never terminates
    const v = new VectorEnv(env, 2, 1);
    let sum = 0;
    for (let t = 1; t <= env.horizon; t++) {
      const out = v.step([[0.5], [-0.5]]);
      sum += out.rewards[0]!;
      expect(out.truncated[0]).toBe(t === env.horizon ? 1 : 0);
    }
    expect(v.terminated[0]).toBe(0);
    expect(v.episodeLength[0]).toBe(200);
    expect(v.episodeReturn[0]).toBeCloseTo(sum, 9);
    expect(v.finishedEpisodes().map((e) => e.truncated)).toEqual([true, true]);
  });

  for (const id of ENV_IDS) {
    it(`${id}: agrees exactly with stepping each environment on its own`, () => {
      const env = getEnv(id);
      const n = 3;
      const steps = id === 'LunarLander-v3' ? 150 : 400;
      const v = new VectorEnv(env, n, 11);
      const pick = policy(env, 1);
      const dim = env.observationSpace.size;
      const episode = Array<number>(n).fill(0);
      let states = Array.from({ length: n }, (_, i) => env.reset(episodeSeed(11, i, 0)));
      const lengths = Array<number>(n).fill(0);
      const returns = Array<number>(n).fill(0);
      let finished = 0;
      for (let t = 0; t < steps; t++) {
        const actions = states.map((s) => pick(s));
        const out = v.step(actions);
        states = states.map((s, i) => {
          const r = env.step(s, actions[i]!);
          lengths[i]!++;
          returns[i]! += r.reward;
          expect(out.rewards[i]).toBe(r.reward);
          expect(out.terminated[i]).toBe(r.terminated ? 1 : 0);
          const truncated = !r.terminated && lengths[i] === env.horizon;
          expect(out.truncated[i]).toBe(truncated ? 1 : 0);
          if (!r.terminated && !truncated) return r.state;
          expect(out.episodeReturn[i]).toBe(returns[i]);
          expect(out.episodeLength[i]).toBe(lengths[i]);
          finished++;
          lengths[i] = 0;
          returns[i] = 0;
          return env.reset(episodeSeed(11, i, ++episode[i]!));
        });
        states.forEach((s, i) => {
          expect(Array.from(v.obs.subarray(i * dim, (i + 1) * dim))).toEqual(Array.from(env.observe(s)));
          expect(v.state(i)).toEqual(s);
        });
      }
      expect(v.episodesFinished).toBe(finished);
    });
  }

  it('the fast kernels (CartPole, LaneFollow) give exactly the generic path', () => {
    for (const id of ['CartPole-v1', 'LaneFollow-v0']) {
      const env = getEnv(id);
      const fast = new VectorEnv(env, 5, 3);
      const slow = new VectorEnv(env, 5, 3, { fast: false });
      expect([fast.usesFastKernel, slow.usesFastKernel]).toEqual([true, false]);
      expect(fast.obs).toEqual(slow.obs);
      const r = mulberry32(9);
      for (let t = 0; t < 600; t++) {
        const actions = Array.from({ length: 5 }, (_, i) => (r() < 0.2 ? Math.floor(r() * 3) % (env.actionSpace as { n: number }).n : (env.expert(slow.state(i)) as number)));
        const a = fast.step(actions);
        const b = slow.step(actions);
        expect(fast.obs).toEqual(slow.obs);
        expect([a.rewards, a.terminated, a.truncated, a.episodeReturn, a.episodeLength]).toEqual([b.rewards, b.terminated, b.truncated, b.episodeReturn, b.episodeLength]);
        for (let i = 0; i < 5; i++) expect(fast.state(i)).toEqual(slow.state(i));
      }
      expect(fast.episodesFinished).toBe(slow.episodesFinished);
      expect(fast.episodesFinished).toBeGreaterThan(0);
    }
  });

  it('reuses its output arrays (nothing allocated per step) and refuses bad input', () => {
    const v = new VectorEnv(getEnv('CartPole-v1'), 2, 0);
    const out = v.step([0, 1]);
    expect(v.step([1, 0]).rewards).toBe(out.rewards);
    expect(() => v.step([0])).toThrow(/expected 2 actions, got 1/);
    expect(() => v.step([0, 2])).toThrow(EnvInputError);
    expect(() => v.step([0, 0.5])).toThrow(/row 1 must be an integer in 0\.\.1/);
    expect(() => new VectorEnv(getEnv('CartPole-v1'), 0, 0)).toThrow(EnvInputError);
    expect(() => new VectorEnv(getEnv('Acrobot-v1'), 2, 0).step([0, 3])).toThrow(EnvInputError);
  });
});
