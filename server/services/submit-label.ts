/**
 * `label.submit`: records a labeler's action for a task — idempotent by client id, validated against the
 * action space, and transactional: the label, the task's state, the query's consensus, the dataset item and
 * the round's move to training commit together or not at all.
 */
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { label, query, task } from '@/db/schema';
import type { SessionUser } from '../auth';
import { badInput, conflict, notFound } from '../errors';
import type { Runtime } from '../runtime';
import { parseAction } from './actions';
import { placeholders, prepared } from '@/db/prepared';
import { writeTransaction } from '@/db/group-commit';
import { resolveQuery } from './resolve-query';
import { actionSpaceFrom, projectSettings } from './project-settings';

export const submitLabelInput = z.object({
  taskId: z.number().int().positive(),
  /** Client-generated id (e.g. a UUID): resubmitting the same id returns the first result. */
  clientId: z.string().min(8).max(64),
  action: z.union([z.number(), z.array(z.number()).min(1).max(64)]),
  unsure: z.boolean().default(false),
  timeMs: z.number().int().min(0).max(3_600_000),
  mode: z.enum(['key', 'click', 'widget', 'segment', 'simulated']).default('key'),
});

export interface SubmitLabelResult {
  labelId: number;
  /** True when this client id had already been recorded (nothing new was written). */
  duplicate: boolean;
  /** Consensus reached for the state with this label. */
  resolved: boolean;
}

export function submitLabel(rt: Runtime, labeler: SessionUser, raw: z.input<typeof submitLabelInput>, now = Date.now()): SubmitLabelResult {
  const input = submitLabelInput.parse(raw);
  return writeTransaction(rt.db, (tx) => {
    const existing = prepared(tx, 'submit.existing', (d) =>
      d
        .select({ id: label.id, taskId: label.taskId })
        .from(label)
        .where(and(eq(label.labelerId, sql.placeholder('labelerId')), eq(label.clientId, sql.placeholder('clientId'))))
        .prepare(),
    ).get({ labelerId: labeler.id, clientId: input.clientId });
    if (existing) {
      if (existing.taskId !== input.taskId) throw conflict('This client id was already used for another task');
      return { labelId: existing.id, duplicate: true, resolved: false };
    }
    const found = prepared(tx, 'submit.task', (d) =>
      d
        .select({ task, gold: query.isGold })
        .from(task)
        .innerJoin(query, eq(query.id, task.queryId))
        .where(and(eq(task.id, sql.placeholder('taskId')), eq(task.labelerId, sql.placeholder('labelerId'))))
        .prepare(),
    ).get({ taskId: input.taskId, labelerId: labeler.id });
    if (!found) throw notFound('Task');
    const t = found.task;
    if (t.state === 'submitted') throw conflict('This task already has your label');
    // A late label on an expired lease is still accepted: it is real work and is never thrown away.
    const settings = projectSettings(tx, t.projectId);
    const action = parseAction(actionSpaceFrom(settings), input.action);
    if (!action.ok) throw badInput(action.error, { action: [action.error] });
    const row = prepared(tx, 'submit.insert', (d) =>
      d
        .insert(label)
        .values(placeholders('queryId', 'taskId', 'projectId', 'labelerId', 'action', 'unsure', 'timeMs', 'mode', 'clientId', 'gold', 'createdAt'))
        .returning({ id: label.id })
        .prepare(),
    ).get({
      queryId: t.queryId,
      taskId: t.id,
      projectId: t.projectId,
      labelerId: labeler.id,
      action: action.value,
      unsure: input.unsure,
      timeMs: input.timeMs,
      mode: input.mode,
      clientId: input.clientId,
      gold: found.gold,
      createdAt: now,
    })!;
    prepared(tx, 'submit.taskDone', (d) => d.update(task).set({ state: 'submitted' }).where(eq(task.id, sql.placeholder('taskId'))).prepare()).run({ taskId: t.id });
    const resolved = resolveQuery(tx, t.queryId, now, { settings });
    return { labelId: row.id, duplicate: false, resolved };
  });
}

export const skipTaskInput = z.object({ taskId: z.number().int().positive() });

/** A labeler passes on a state: the task is released for others and not offered to them again. */
export function skipTask(rt: Runtime, labeler: SessionUser, raw: z.input<typeof skipTaskInput>): void {
  const input = skipTaskInput.parse(raw);
  const r = rt.db
    .update(task)
    .set({ state: 'skipped' })
    .where(and(eq(task.id, input.taskId), eq(task.labelerId, labeler.id), eq(task.state, 'leased')))
    .run();
  if (r.changes !== 1) throw notFound('Open task');
}
