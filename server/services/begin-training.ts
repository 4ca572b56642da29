/** Moves a round from labeling to training and enqueues its training job, in the caller's transaction. */
import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { round } from '@/db/schema';
import { enqueueJob } from '../jobs/queue';

export function beginTraining(tx: DbOrTx, r: typeof round.$inferSelect, now: number, opts: { closedEarly: boolean }): boolean {
  // The phase guard makes this a compare-and-set: only one caller moves the round and enqueues the job.
  const moved = tx
    .update(round)
    .set({ phase: 'training', closedEarly: opts.closedEarly, closedAt: now })
    .where(and(eq(round.id, r.id), eq(round.phase, 'labeling')))
    .run();
  if (moved.changes !== 1) return false;
  enqueueJob(tx, { type: 'round.train', payload: { roundId: r.id }, projectId: r.projectId, dedupeKey: `round:${r.id}:train` }, now);
  return true;
}
