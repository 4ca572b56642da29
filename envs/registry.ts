/** The built-in environments by id. */
import { Acrobot } from './acrobot';
import { CartPole } from './cartpole';
import { LaneFollow } from './lane-follow';
import { MountainCar, MountainCarContinuous } from './mountain-car';
import { Pendulum } from './pendulum';
import type { Env } from './types';

const ENVS: Env<unknown>[] = [CartPole, MountainCar, MountainCarContinuous, Acrobot, Pendulum, LaneFollow] as Env<unknown>[];
const BY_ID = new Map(ENVS.map((e) => [e.id, e]));

export const ENV_IDS = ENVS.map((e) => e.id);

export function getEnv(id: string): Env<unknown> {
  const env = BY_ID.get(id);
  if (!env) throw new Error(`Unknown environment "${id}" (known: ${ENV_IDS.join(', ')})`);
  return env;
}

/** Registers another environment (e.g. LunarLander-v3, which brings a physics engine). */
export function registerEnv(env: Env<unknown>): void {
  if (BY_ID.has(env.id)) return;
  ENVS.push(env);
  BY_ID.set(env.id, env);
  ENV_IDS.push(env.id);
}

export function listEnvs() {
  return ENVS.map((e) => ({
    id: e.id,
    observationSpace: e.observationSpace,
    actionSpace: e.actionSpace,
    horizon: e.horizon,
    rewardThreshold: e.rewardThreshold,
    dt: e.dt,
  }));
}
