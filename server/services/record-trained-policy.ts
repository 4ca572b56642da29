/**
 * Registers the policy trained at the end of a round as a new policy version — exactly once per round:
 * the round's `trainedPolicyVersionId` is checked and set in the same transaction, so a training job
 * re-run after a crash cannot create a second version. Moves the round on to evaluation.
 */
import { desc, eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { policyVersion, round } from '@/db/schema';
import { enqueueJob } from '../jobs/queue';

export interface TrainedPolicy {
  sha256: string;
  policyClass: string;
  trainingConfig: unknown;
  datasetHash: string;
  datasetSize: number;
  metrics: Record<string, unknown>;
}

export function recordTrainedPolicy(db: Db, roundId: number, p: TrainedPolicy, now = Date.now()): { policyVersionId: number; created: boolean } {
  return db.transaction(
    (tx) => {
      const r = tx.select().from(round).where(eq(round.id, roundId)).get();
      if (!r) throw new Error(`round ${roundId} not found`);
      if (r.trainedPolicyVersionId) return { policyVersionId: r.trainedPolicyVersionId, created: false };
      const last = tx.select({ v: policyVersion.version }).from(policyVersion).where(eq(policyVersion.projectId, r.projectId)).orderBy(desc(policyVersion.version)).limit(1).get();
      const v = tx
        .insert(policyVersion)
        .values({
          projectId: r.projectId,
          version: (last?.v ?? 0) + 1,
          parentId: r.policyVersionId,
          roundId,
          sha256: p.sha256,
          policyClass: p.policyClass,
          source: 'trained',
          trainingConfig: p.trainingConfig,
          datasetHash: p.datasetHash,
          datasetSize: p.datasetSize,
          metrics: p.metrics,
          createdAt: now,
        })
        .returning({ id: policyVersion.id })
        .get();
      tx.update(round).set({ trainedPolicyVersionId: v.id, datasetHash: p.datasetHash, phase: 'evaluating' }).where(eq(round.id, roundId)).run();
      enqueueJob(tx, { type: 'round.evaluate', payload: { roundId }, projectId: r.projectId, dedupeKey: `round:${roundId}:evaluate` }, now);
      return { policyVersionId: v.id, created: true };
    },
    { behavior: 'immediate' },
  );
}
