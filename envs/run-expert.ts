/** Runs the scripted expert for whole episodes (for tests, the CLI and demonstrations' sanity checks). */
import type { Env } from './types';

export function runExpert(env: Env<unknown>, episodes: number, seed: number) {
  const returns: number[] = [];
  let successes = 0;
  for (let e = 0; e < episodes; e++) {
    let s = env.reset(seed + e);
    let ret = 0;
    let terminated = false;
    let t = 0;
    for (; t < env.horizon && !terminated; t++) {
      const r = env.step(s, env.expert(s));
      s = r.state;
      ret += r.reward;
      terminated = r.terminated;
    }
    returns.push(ret);
    if (env.success({ return: ret, length: t, terminated, truncated: !terminated })) successes++;
  }
  const mean = returns.reduce((a, b) => a + b, 0) / episodes;
  const std = Math.sqrt(returns.reduce((a, b) => a + (b - mean) ** 2, 0) / episodes);
  return { episodes, returnMean: mean, returnStd: std, successRate: successes / episodes };
}
