/**
 * `label.undo`: takes back the labeler's own last label while its state is still open (not yet part of
 * the dataset); the task becomes theirs again. Once aggregated, a label is history and stays.
 */
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { label, query, task } from '@/db/schema';
import type { SessionUser } from '../auth';
import { notFound, precondition } from '../errors';
import type { Runtime } from '../runtime';

export const undoLabelInput = z.object({ labelId: z.number().int().positive() });

export function undoLabel(rt: Runtime, labeler: SessionUser, raw: z.input<typeof undoLabelInput>, now = Date.now()): { taskId: number } {
  const input = undoLabelInput.parse(raw);
  return rt.db.transaction(
    (tx) => {
      const l = tx.select().from(label).where(and(eq(label.id, input.labelId), eq(label.labelerId, labeler.id))).get();
      if (!l || !l.taskId) throw notFound('Label');
      const q = tx.select({ status: query.status }).from(query).where(eq(query.id, l.queryId)).get();
      if (q?.status !== 'open') throw precondition('This state already has its consensus; the label can no longer be undone');
      tx.delete(label).where(eq(label.id, l.id)).run();
      tx.update(task).set({ state: 'leased', leaseExpiresAt: now + 120_000 }).where(eq(task.id, l.taskId)).run();
      return { taskId: l.taskId };
    },
    { behavior: 'immediate' },
  );
}
