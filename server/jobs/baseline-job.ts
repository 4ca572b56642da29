/**
 * The behaviour-cloning baseline of a project: for each finished round, a policy trained on as many
 * scripted-expert labels as the project had used by then (expert demonstrations only — no learner states),
 * evaluated on the project's own evaluation seeds. Its figures are the job's result (jobs are append-only
 * rows), drawn as a dashed line in the dashboard charts.
 */
import { z } from 'zod';
import { getEnv } from '@/envs/registry';
import type { Action } from '@/envs/types';
import { createRng, deriveSeed } from '../dagger/rng';
import { meanStd } from '../dagger/metrics';
import { getProject } from '../services/get-project';
import { projectSettings } from '../services/project-settings';
import { loadBatchPolicy, storePolicy, trainOnDataset } from './policy-runtime';
import { collectRollouts } from './rollouts';
import type { JobHandler } from './runner';

export const baselinePayload = z.object({ projectId: z.number().int().positive() });

export interface BaselinePoint {
  round: number;
  labels: number;
  returnMean: number;
  returnStd: number;
  successRate: number;
}

export const behaviourCloningBaseline: JobHandler = async (payload, ctx) => {
  const { projectId } = baselinePayload.parse(payload);
  const rt = ctx.runtime;
  const settings = projectSettings(rt.db, projectId);
  if (!settings.envId) throw new Error('the baseline needs a built-in environment with a scripted expert');
  const env = getEnv(settings.envId);
  const p = getProject(rt.db, projectId);
  // Expert labels used by the end of each finished round: demonstrations count one per state.
  let used = 0;
  const budgets: { round: number; labels: number }[] = [];
  for (const r of p.rounds) {
    used += r.index === 0 || r.labels === 0 ? r.newItems : r.labels;
    if (r.phase === 'done') budgets.push({ round: r.index, labels: used });
  }
  if (budgets.length === 0) throw new Error('no finished round to compare with yet');
  const need = Math.max(...budgets.map((b) => b.labels));
  // Fresh expert episodes (their own seeds), in order, until there are enough labelled states.
  const obs: number[][] = [];
  const actions: Action[] = [];
  const rng = createRng(deriveSeed(settings.seed, 'bc-baseline'));
  for (let e = 0; obs.length < need; e++) {
    const [ro] = await collectRollouts(env, null, { episodes: 1, seeds: [deriveSeed(settings.seed, 'bc-episode', e)], beta: 1, random: () => rng.uniform() });
    for (const s of ro!.steps) {
      obs.push(s.obs);
      actions.push(s.action);
    }
  }
  const evalSeeds = Array.from({ length: settings.evaluation.episodes }, (_, i) => deriveSeed(settings.evaluation.seed, 'eval', i));
  const points: BaselinePoint[] = [];
  for (const [k, b] of budgets.entries()) {
    ctx.progress({ fraction: k / budgets.length, message: `baseline at ${b.labels} labels (round ${b.round})` });
    const n = b.labels;
    const flat = new Float32Array(n * env.observationSpace.size);
    for (let i = 0; i < n; i++) flat.set(obs[i]!, i * env.observationSpace.size);
    const trained = await trainOnDataset({
      obs: flat,
      obsDim: env.observationSpace.size,
      actions: actions.slice(0, n),
      actionSpace: env.actionSpace,
      observationSpace: env.observationSpace,
      policy: settings.policy,
      seed: deriveSeed(settings.seed, 'bc-train', b.round),
      meta: { envId: env.id, round: b.round, datasetHash: `bc-baseline-${n}` },
    });
    const policy = await loadBatchPolicy(rt.artifactsDir, await storePolicy(rt.artifactsDir, trained.bytes), 'deterministic', 0);
    const rollouts = await collectRollouts(env, policy, { episodes: evalSeeds.length, seeds: evalSeeds, beta: 0, random: () => 0, record: false }).finally(() => policy.release());
    const ret = meanStd(rollouts.map((r) => r.return));
    points.push({
      round: b.round,
      labels: n,
      returnMean: ret.mean,
      returnStd: ret.std,
      successRate: rollouts.filter((r) => env.success({ return: r.return, length: r.length, terminated: r.terminated, truncated: r.truncated })).length / rollouts.length,
    });
  }
  return { points };
};
