/**
 * Acceptance: behaviour cloning on CartPole-v1 from 10 scripted-expert episodes reaches the task's reward
 * threshold (475) on unseen start states, through the whole pipeline (train → export → load → act).
 */
import { describe, expect, it } from 'vitest';
import { getEnv } from '../envs/registry';
import { evaluatePolicy } from './evaluate';
import { loadPolicy } from './infer';
import { trainPolicy } from './train';

describe('CartPole-v1 behaviour cloning (acceptance)', () => {
  it('a categorical policy trained on 10 expert episodes scores ≥ 475 mean return', async () => {
    const env = getEnv('CartPole-v1');
    const obsDim = env.observationSpace.size;
    const obs: number[] = [];
    const actions: number[] = [];
    let expertReturn = 0;
    for (let ep = 0; ep < 10; ep++) {
      let state = env.reset(ep);
      for (let t = 0; t < env.horizon; t++) {
        const a = env.expert(state) as number;
        obs.push(...env.observe(state));
        actions.push(a);
        const r = env.step(state, a);
        expertReturn += r.reward / 10;
        state = r.state;
        if (r.terminated) break;
      }
    }
    const result = await trainPolicy({ obs: Float32Array.from(obs), obsDim, actions, actionSpace: env.actionSpace, config: { kind: 'categorical' }, seed: 0, meta: { envId: env.id, observationSpace: env.observationSpace } });
    const policy = await loadPolicy(result.onnx);
    // Unseen start states: the demonstrations used seeds 0–9.
    const summary = await evaluatePolicy(env, policy, { episodes: 20, seed: 1000 });
    await policy.release();
    console.log(JSON.stringify({ demos: actions.length, expertReturn, valAccuracy: result.metrics.valAccuracy, epochs: result.metrics.epochs, ...summary }));
    expect(summary.return_mean).toBeGreaterThanOrEqual(475);
  });
});
