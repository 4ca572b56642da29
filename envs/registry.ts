/** The built-in environments by id. */
import { Acrobot } from './acrobot';
import { CartPole } from './cartpole';
import { LaneFollow } from './lane-follow';
import { LunarLander } from './lunar-lander';
import { MountainCar, MountainCarContinuous } from './mountain-car';
import { Pendulum } from './pendulum';
import type { ActionSpace, BoxSpace, Env } from './types';

const ENVS: readonly Env<unknown>[] = [CartPole, MountainCar, MountainCarContinuous, Acrobot, Pendulum, LunarLander, LaneFollow] as Env<unknown>[];
const BY_ID = new Map(ENVS.map((e) => [e.id, e]));

export const ENV_IDS: readonly string[] = ENVS.map((e) => e.id);

/** The environment with this id; throws an Error naming the valid ids otherwise. */
export function getEnv(id: string): Env<unknown> {
  const env = BY_ID.get(id);
  if (!env) throw new Error(`Unknown environment "${id}" (valid: ${ENV_IDS.join(', ')})`);
  return env;
}

/** A JSON-serialisable description of an environment (no functions, no Infinity). */
export interface EnvDescription {
  id: string;
  observationSpace: BoxSpace;
  actionSpace: ActionSpace;
  horizon: number;
  rewardThreshold: number | null;
  dt: number;
}

export function describeEnv(env: Env<unknown>): EnvDescription {
  const { id, observationSpace, actionSpace, horizon, rewardThreshold, dt } = env;
  // Copies, so a caller cannot edit the environment's own spaces.
  return { id, observationSpace: structuredClone(observationSpace), actionSpace: structuredClone(actionSpace), horizon, rewardThreshold, dt };
}

export function listEnvs(): EnvDescription[] {
  return ENVS.map(describeEnv);
}
