/**
 * `task.segment`: for segment labeling, leases the other open states of the same rollout that follow a task
 * the labeler holds (within the frames a task view carries), so one pass of the rollout labels them all. The usual claim
 * rules apply to each state: open, in a labeling round, fewer live labels than required, never the same
 * state twice for one labeler.
 */
import { and, asc, eq, gte, lte, sql } from 'drizzle-orm';
import { z } from 'zod';
import { query, round, task } from '@/db/schema';
import type { SessionUser } from '../auth';
import { notFound } from '../errors';
import type { Runtime } from '../runtime';
import { projectSettings } from './project-settings';

export const claimSegmentInput = z.object({
  taskId: z.number().int().positive(),
  /** How many steps after the task's state the segment may reach (a task view carries 30 frames after it). */
  after: z.number().int().min(1).max(30).default(30),
});

export function claimSegment(rt: Runtime, labeler: SessionUser, raw: z.input<typeof claimSegmentInput>, now = Date.now()): { taskId: number; t: number }[] {
  const input = claimSegmentInput.parse(raw);
  return rt.db.transaction(
    (tx) => {
      const own = tx
        .select({ task, query })
        .from(task)
        .innerJoin(query, eq(query.id, task.queryId))
        .where(and(eq(task.id, input.taskId), eq(task.labelerId, labeler.id), eq(task.state, 'leased')))
        .get();
      if (!own) throw notFound('Open task');
      const out = [{ taskId: own.task.id, t: own.query.t }];
      if (!own.query.rolloutId) return out;
      const liveTasks = sql`(select count(*) from ${task} where ${task.queryId} = ${query.id} and (${task.state} = 'submitted' or (${task.state} = 'leased' and ${task.leaseExpiresAt} > ${now})))`;
      const candidates = tx
        .select({ id: query.id, t: query.t })
        .from(query)
        .innerJoin(round, and(eq(round.id, query.roundId), eq(round.phase, 'labeling')))
        .where(
          and(
            eq(query.rolloutId, own.query.rolloutId),
            eq(query.roundId, own.query.roundId),
            eq(query.status, 'open'),
            gte(query.t, own.query.t),
            lte(query.t, own.query.t + input.after),
            sql`not exists (select 1 from ${task} where ${task.queryId} = ${query.id} and ${task.labelerId} = ${labeler.id})`,
            sql`${liveTasks} < ${query.labelsRequired}`,
          ),
        )
        .orderBy(asc(query.t))
        .all();
      const leaseMs = projectSettings(tx, own.task.projectId).leaseSeconds * 1000;
      for (const c of candidates) {
        const row = tx
          .insert(task)
          .values({ queryId: c.id, projectId: own.task.projectId, labelerId: labeler.id, state: 'leased', leasedAt: now, leaseExpiresAt: now + leaseMs })
          .returning({ id: task.id })
          .get();
        out.push({ taskId: row.id, t: c.t });
      }
      return out.sort((a, b) => a.t - b.t);
    },
    { behavior: 'immediate' },
  );
}
