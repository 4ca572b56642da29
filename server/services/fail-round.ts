/** Marks a round failed in a phase (the deployed policy is untouched); `resumeRound` restarts that phase. */
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { job, round } from '@/db/schema';
import { notFound, precondition } from '../errors';
import { enqueueJob } from '../jobs/queue';
import type { Runtime } from '../runtime';

const PHASE_JOB: Record<string, string> = { rollout: 'round.rollout', training: 'round.train', evaluating: 'round.evaluate' };

export function failRound(db: Db, roundId: number, phase: string, error: string): void {
  db.update(round).set({ phase: 'failed', failedPhase: phase, error }).where(eq(round.id, roundId)).run();
}

export const resumeRoundInput = z.object({ projectId: z.number().int().positive(), roundId: z.number().int().positive() });

export function resumeRound(rt: Runtime, raw: z.input<typeof resumeRoundInput>, now = Date.now()): { phase: string } {
  const input = resumeRoundInput.parse(raw);
  return rt.db.transaction(
    (tx) => {
      const r = tx.select().from(round).where(and(eq(round.id, input.roundId), eq(round.projectId, input.projectId))).get();
      if (!r) throw notFound('Round');
      if (r.phase !== 'failed' || !r.failedPhase) throw precondition(`Round ${r.index} has not failed`);
      const type = PHASE_JOB[r.failedPhase];
      if (!type) throw precondition(`Round ${r.index} cannot resume from ${r.failedPhase}`);
      tx.update(round).set({ phase: r.failedPhase as 'rollout' | 'training' | 'evaluating', error: null }).where(eq(round.id, r.id)).run();
      const tries = tx.select({ n: sql<number>`count(*)` }).from(job).where(sql`${job.dedupeKey} like ${`round:${r.id}:%`}`).get()?.n ?? 0;
      enqueueJob(tx, { type, payload: { roundId: r.id }, projectId: r.projectId, dedupeKey: `round:${r.id}:${r.failedPhase}:resume${tries}` }, now);
      return { phase: r.failedPhase };
    },
    { behavior: 'immediate' },
  );
}
