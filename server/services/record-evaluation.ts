/**
 * Stores a round's evaluation, finishes the round and, with auto-deploy on (or when nothing serves the
 * project yet), deploys the new policy — one transaction, so the deployed policy switches atomically.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { policyVersion, round, rollout } from '@/db/schema';
import type { Rollout } from '../jobs/rollouts';
import { deployedPolicy, deployPolicy } from './deploy-policy';
import { projectSettings } from './project-settings';

/**
 * `replay`: one evaluation episode of the new policy, kept so researchers can watch it in the browser.
 */
export function recordEvaluation(db: Db, roundId: number, metrics: Record<string, unknown>, replay?: Rollout, now = Date.now()): { deployed: boolean } {
  return db.transaction(
    (tx) => {
      const r = tx.select().from(round).where(eq(round.id, roundId)).get();
      if (!r || r.phase !== 'evaluating' || !r.trainedPolicyVersionId) return { deployed: false };
      const settings = projectSettings(tx, r.projectId);
      const v = tx.select().from(policyVersion).where(eq(policyVersion.id, r.trainedPolicyVersionId)).get();
      const merged = { ...(v?.metrics ?? {}), ...metrics };
      tx.update(policyVersion).set({ metrics: merged }).where(eq(policyVersion.id, r.trainedPolicyVersionId)).run();
      if (replay) {
        tx.insert(rollout)
          .values({
            projectId: r.projectId,
            roundId,
            kind: 'evaluation',
            episode: replay.episode,
            seed: replay.seed,
            policyVersionId: r.trainedPolicyVersionId,
            length: replay.length,
            return: replay.return,
            terminated: replay.terminated,
            truncated: replay.truncated,
            steps: replay.steps.map(({ obs: _obs, params: _params, ...s }) => s),
            observations: null,
            params: null,
            finalState: replay.finalState,
            createdAt: now,
          })
          .run();
      }
      tx.update(round).set({ phase: 'done', metrics: { ...(r.metrics ?? {}), ...merged }, failedPhase: null, error: null }).where(eq(round.id, roundId)).run();
      const deploy = settings.autoDeploy || !deployedPolicy(tx, r.projectId);
      if (deploy) {
        deployPolicy(tx, { projectId: r.projectId, policyVersionId: r.trainedPolicyVersionId, reason: `auto-deploy after round ${r.index}` }, null, now);
      }
      return { deployed: deploy };
    },
    { behavior: 'immediate' },
  );
}
