/**
 * Stores a round's evaluation, finishes the round and, with auto-deploy on (or when nothing serves the
 * project yet), deploys the new policy — one transaction, so the deployed policy switches atomically.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { policyVersion, round } from '@/db/schema';
import { deployedPolicy, deployPolicy } from './deploy-policy';
import { projectSettings } from './project-settings';

export function recordEvaluation(db: Db, roundId: number, metrics: Record<string, unknown>, now = Date.now()): { deployed: boolean } {
  return db.transaction(
    (tx) => {
      const r = tx.select().from(round).where(eq(round.id, roundId)).get();
      if (!r || r.phase !== 'evaluating' || !r.trainedPolicyVersionId) return { deployed: false };
      const settings = projectSettings(tx, r.projectId);
      const v = tx.select().from(policyVersion).where(eq(policyVersion.id, r.trainedPolicyVersionId)).get();
      const merged = { ...(v?.metrics ?? {}), ...metrics };
      tx.update(policyVersion).set({ metrics: merged }).where(eq(policyVersion.id, r.trainedPolicyVersionId)).run();
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
