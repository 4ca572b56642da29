/**
 * The background phases of a DAgger round. Each handler is idempotent: it re-reads the round, does
 * nothing if the phase already moved on, and commits its result in one transaction through a service.
 * A handler that fails for good marks the round failed in that phase; the deployed policy is untouched.
 */
import { and, asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { datasetItem, policyVersion, round } from '@/db/schema';
import { getEnv } from '@/envs/registry';
import type { Action } from '@/envs/types';
import { canTrain } from '../dagger/round';
import { createRng, deriveSeed } from '../dagger/rng';
import { datasetHash, expertAgreement, meanStd } from '../dagger/metrics';
import { selectStates } from '../dagger/selection';
import type { Runtime } from '../runtime';
import { closeRound } from '../services/close-round';
import { failRound } from '../services/fail-round';
import { projectSettings, actionSpaceOf, observationSpaceOf } from '../services/project-settings';
import { recordDemonstrations } from '../services/record-demonstrations';
import { recordEvaluation } from '../services/record-evaluation';
import { recordRoundRollouts, type SelectedState } from '../services/record-round-rollouts';
import { recordTrainedPolicy } from '../services/record-trained-policy';
import { collectRollouts } from './rollouts';
import { loadBatchPolicy, storePolicy, trainOnDataset } from './policy-runtime';
import type { JobContext, JobHandler } from './runner';

const roundPayload = z.object({ roundId: z.number().int().positive() });

function loadRound(rt: Runtime, payload: unknown) {
  const { roundId } = roundPayload.parse(payload);
  const r = rt.db.select().from(round).where(eq(round.id, roundId)).get();
  if (!r) throw new Error(`round ${roundId} not found`);
  return r;
}

/** Runs a phase; when its last attempt fails, the round is marked failed in that phase (resumable). */
function phaseHandler(phase: 'rollout' | 'training' | 'evaluating', body: (rt: Runtime, r: typeof round.$inferSelect, ctx: JobContext) => Promise<unknown>): JobHandler {
  return async (payload, ctx) => {
    const r = loadRound(ctx.runtime, payload);
    if (r.phase !== phase) return { skipped: `round is ${r.phase}` };
    try {
      return await body(ctx.runtime, r, ctx);
    } catch (e) {
      if (ctx.job.attempts >= ctx.job.maxAttempts) failRound(ctx.runtime.db, r.id, phase, e instanceof Error ? e.message : String(e));
      throw e;
    }
  };
}

// Scripted demonstrations (round 0, or more demonstrations later) ------------------------------------------
export const scriptedDemoPayload = z.object({
  projectId: z.number().int().positive(),
  episodes: z.number().int().min(1).max(1000),
  /** DART: probability of executing a random action instead of the expert's (the expert's is recorded). */
  noise: z.number().min(0).max(1).default(0),
  seed: z.number().int(),
  /** Close round 0 and train π₁ once the demonstrations are in (the demo seed does this). */
  thenTrain: z.boolean().default(false),
});

const scriptedDemonstrations: JobHandler = async (payload, ctx) => {
  const p = scriptedDemoPayload.parse(payload);
  const rt = ctx.runtime;
  const settings = projectSettings(rt.db, p.projectId);
  if (!settings.envId) throw new Error('external projects have no scripted expert');
  const env = getEnv(settings.envId);
  const rng = createRng(p.seed);
  const seeds = Array.from({ length: p.episodes }, (_, i) => deriveSeed(p.seed, 'demo', i));
  const rollouts = await collectRollouts(env, null, {
    episodes: p.episodes,
    seeds,
    beta: 1,
    random: () => rng.uniform(),
    expertNoise: p.noise,
    onEpisode: (n) => ctx.progress({ fraction: n / p.episodes, message: `${n}/${p.episodes} episodes` }),
  });
  // With DART noise the executed action may differ; the label is always the expert's action at that state.
  const episodes = rollouts.map((ro) => ({
    seed: ro.seed,
    terminated: ro.terminated,
    truncated: ro.truncated,
    finalState: ro.finalState,
    steps: ro.steps.map((s) => ({ obs: s.obs, state: s.state, action: p.noise > 0 ? env.expert(s.state) : s.action, reward: s.reward, terminated: s.terminated })),
  }));
  const recorded = rt.db.transaction((tx) => recordDemonstrations(tx, p.projectId, episodes, 'demonstration'), { behavior: 'immediate' });
  if (p.thenTrain) {
    const r0 = rt.db.select().from(round).where(and(eq(round.projectId, p.projectId), eq(round.index, 0))).get();
    if (r0?.phase === 'labeling') closeRound(rt, { projectId: p.projectId, roundId: r0.id });
  }
  return recorded;
};

// Round i: roll out πᵢ, select states, queue them ---------------------------------------------------------
const roundRollout = phaseHandler('rollout', async (rt, r, ctx) => {
  const settings = projectSettings(rt.db, r.projectId);
  if (!settings.envId) throw new Error('external projects receive rollouts over the HTTP API');
  if (!r.policyVersionId) throw new Error(`round ${r.index} has no policy to roll out`);
  const env = getEnv(settings.envId);
  const pv = rt.db.select().from(policyVersion).where(eq(policyVersion.id, r.policyVersionId)).get();
  if (!pv) throw new Error(`policy version ${r.policyVersionId} not found`);
  const policy = await loadBatchPolicy(rt.artifactsDir, pv.sha256, 'sample', deriveSeed(r.seed, 'policy-sampling'));
  const rng = createRng(deriveSeed(r.seed, 'rollout'));
  const episodes = settings.rolloutEpisodes;
  const seeds = Array.from({ length: episodes }, (_, i) => deriveSeed(r.seed, 'episode', i));
  const rollouts = await collectRollouts(env, policy, {
    episodes,
    seeds,
    beta: r.beta,
    random: () => rng.uniform(),
    onEpisode: (n) => ctx.progress({ fraction: n / episodes, message: `rollouts ${n}/${episodes}` }),
  }).finally(() => policy.release());
  const picks = selectStates(
    rollouts.map((ro) => ({
      rolloutIndex: ro.episode,
      terminated: ro.terminated,
      truncated: ro.truncated,
      steps: ro.steps.map((s) => ({ t: s.t, disagreement: s.disagreement, expertExecuted: s.expertExecuted })),
    })),
    settings.selection,
    createRng(deriveSeed(r.seed, 'selection')),
  );
  const goldRng = createRng(deriveSeed(r.seed, 'gold'));
  const selected: SelectedState[] = picks.map((p) => {
    const step = rollouts[p.rolloutIndex]!.steps[p.t]!;
    // Gold states: the scripted expert knows the answer; they measure labelers, unannounced.
    const gold = goldRng.uniform() < settings.goldRate ? { action: env.expert(step.state) } : null;
    return { episode: p.rolloutIndex, t: p.t, reason: p.reason, gold };
  });
  if (selected.length === 0) throw new Error('state selection picked no states from this round\'s rollouts');
  const res = recordRoundRollouts(rt.db, r.id, rollouts, selected, settings.aggregation.labelsPerState);
  const returns = meanStd(rollouts.map((ro) => ro.return));
  return { ...res, rolloutReturnMean: returns.mean };
});

// Closing: retrain on the whole aggregated dataset --------------------------------------------------------
const roundTrain = phaseHandler('training', async (rt, r, ctx) => {
  if (r.trainedPolicyVersionId) return { skipped: 'already trained' };
  const settings = projectSettings(rt.db, r.projectId);
  const items = rt.db
    .select({ id: datasetItem.id, obs: datasetItem.obs, action: datasetItem.action, roundId: datasetItem.roundId })
    .from(datasetItem)
    .where(and(eq(datasetItem.projectId, r.projectId), eq(datasetItem.excluded, false)))
    .orderBy(asc(datasetItem.id))
    .all();
  const newItems = items.filter((i) => i.roundId === r.id).length;
  const check = canTrain(r.index, newItems);
  if (!check.ok) throw new Error(check.reason);
  const obsSpace = observationSpaceOf(rt.db, r.projectId);
  const actionSpace = actionSpaceOf(rt.db, r.projectId);
  const hash = datasetHash(items.map((i) => ({ id: i.id, action: i.action })));
  const obs = new Float32Array(items.length * obsSpace.size);
  items.forEach((it, k) => obs.set(it.obs, k * obsSpace.size));
  const trainSeed = deriveSeed(r.seed, 'train');
  const t0 = performance.now();
  const trained = await trainOnDataset({
    obs,
    obsDim: obsSpace.size,
    actions: items.map((i) => i.action as Action),
    actionSpace,
    observationSpace: obsSpace,
    policy: settings.policy,
    seed: trainSeed,
    meta: { envId: settings.envId ?? 'external', round: r.index, datasetHash: hash },
    onProgress: (p) => ctx.progress({ fraction: p.fraction, message: p.message, detail: p.detail }),
  });
  const sha256 = await storePolicy(rt.artifactsDir, trained.bytes);
  const res = recordTrainedPolicy(rt.db, r.id, {
    sha256,
    policyClass: settings.policy.kind,
    trainingConfig: { ...settings.policy, seed: trainSeed },
    datasetHash: hash,
    datasetSize: items.length,
    metrics: { ...trained.metrics, datasetSize: items.length, newItems, trainSeconds: (performance.now() - t0) / 1000 },
  });
  return res;
});

// Evaluation on fixed seeds, then deployment --------------------------------------------------------------
const roundEvaluate = phaseHandler('evaluating', async (rt, r, ctx) => {
  const settings = projectSettings(rt.db, r.projectId);
  const pv = rt.db.select().from(policyVersion).where(eq(policyVersion.id, r.trainedPolicyVersionId!)).get();
  if (!pv) throw new Error('trained policy version not found');
  if (!settings.envId) return recordEvaluation(rt.db, r.id, {});
  const env = getEnv(settings.envId);
  const policy = await loadBatchPolicy(rt.artifactsDir, pv.sha256, 'deterministic', 0);
  const { episodes, seed } = settings.evaluation;
  const seeds = Array.from({ length: episodes }, (_, i) => deriveSeed(seed, 'eval', i));
  const rollouts = await collectRollouts(env, policy, {
    episodes,
    seeds,
    beta: 0,
    random: () => 0,
    onEpisode: (n) => ctx.progress({ fraction: n / episodes, message: `evaluation ${n}/${episodes}` }),
  }).finally(() => policy.release());
  const returns = meanStd(rollouts.map((ro) => ro.return));
  const successRate = rollouts.filter((ro) => env.success({ return: ro.return, length: ro.length, terminated: ro.terminated, truncated: ro.truncated })).length / episodes;
  const pairs = rollouts.flatMap((ro) => ro.steps.map((s) => ({ policy: s.policyAction as Action, expert: env.expert(s.state) })));
  const agreement = expertAgreement(env.actionSpace, pairs);
  return recordEvaluation(rt.db, r.id, {
    returnMean: returns.mean,
    returnStd: returns.std,
    successRate,
    expertAgreement: agreement,
    evalEpisodes: episodes,
  }, rollouts[0]);
});

export const roundJobHandlers = {
  'demonstrations.scripted': scriptedDemonstrations,
  'round.rollout': roundRollout,
  'round.train': roundTrain,
  'round.evaluate': roundEvaluate,
} satisfies Record<string, JobHandler>;

