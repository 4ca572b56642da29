import { describe, expect, it } from 'vitest';
import { ENV_IDS, getEnv, listEnvs } from './registry';

describe('registry', () => {
  it('knows the built-in environments', () => {
    expect(ENV_IDS).toEqual(['CartPole-v1', 'MountainCar-v0', 'MountainCarContinuous-v0', 'Acrobot-v1', 'Pendulum-v1', 'LunarLander-v3', 'LaneFollow-v0']);
    for (const id of ENV_IDS) expect(getEnv(id).id).toBe(id);
  });

  it('names the valid ids when asked for an unknown one', () => {
    expect(() => getEnv('CartPole-v0')).toThrow('Unknown environment "CartPole-v0" (valid: CartPole-v1, MountainCar-v0');
  });

  it('describes every environment as plain JSON', () => {
    const list = listEnvs();
    expect(JSON.parse(JSON.stringify(list))).toEqual(list); // no Infinity, functions or undefined
    for (const d of list) {
      const env = getEnv(d.id);
      expect(Object.keys(d).sort()).toEqual(['actionSpace', 'dt', 'horizon', 'id', 'observationSpace', 'rewardThreshold']);
      const obs = d.observationSpace;
      expect(obs.kind).toBe('box');
      expect([obs.low.length, obs.high.length, obs.names.length]).toEqual([obs.size, obs.size, obs.size]);
      expect(env.observe(env.reset(0))).toHaveLength(obs.size);
      obs.low.forEach((lo, i) => expect(lo).toBeLessThanOrEqual(obs.high[i]!));
      const act = d.actionSpace;
      if (act.kind === 'discrete') {
        expect([act.names.length, act.keys.length]).toEqual([act.n, act.n]);
        expect(new Set(act.keys).size).toBe(act.n);
      } else expect([act.low.length, act.high.length, act.names.length]).toEqual([act.size, act.size, act.size]);
      expect(d.horizon).toBeGreaterThan(0);
      expect(d.dt).toBeGreaterThan(0);
    }
    const by = Object.fromEntries(list.map((d) => [d.id, d]));
    expect([by['CartPole-v1']!.horizon, by['CartPole-v1']!.rewardThreshold, by['CartPole-v1']!.dt]).toEqual([500, 475, 0.02]);
    expect([by['LunarLander-v3']!.horizon, by['LunarLander-v3']!.rewardThreshold, by['LunarLander-v3']!.dt]).toEqual([1000, 200, 0.02]);
    expect([by['LaneFollow-v0']!.horizon, by['LaneFollow-v0']!.dt]).toEqual([400, 0.1]);
    expect([by['Acrobot-v1']!.dt, by['Pendulum-v1']!.dt, by['MountainCarContinuous-v0']!.horizon]).toEqual([0.2, 0.05, 999]);
  });

  it('hands out copies, so a caller cannot change an environment', () => {
    const d = listEnvs()[0]!;
    d.observationSpace.low[0] = 123;
    expect(getEnv(d.id).observationSpace.low[0]).not.toBe(123);
  });
});
