/**
 * `task.rollout`: the rollout a labeler's task comes from, for the timeline player. A task view names its
 * rollout instead of carrying a slice of it, so a labeler's client downloads each rollout once and reuses
 * it for every later state of the same rollout (rollouts are append-only, so it never goes stale).
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { projectMember, query, rollout, task } from '@/db/schema';
import { fixedLimit, prepared } from '@/db/prepared';
import type { SessionUser } from '../auth';
import { notFound } from '../errors';
import type { Runtime } from '../runtime';
import { deepFreeze } from '../deep-freeze';
import { projectSettings } from './project-settings';

export const getTaskRolloutInput = z.object({ rolloutId: z.number().int().positive() });

export interface TaskRollout {
  rolloutId: number;
  /** Per step: the state, the action executed, and the learner's action where the project shows it. */
  states: unknown[];
  actions: unknown[];
  policyActions: unknown[] | null;
}

type StoredStep = { state: unknown; action: unknown; policyAction: unknown };
const stepsCache = new Map<string, { projectId: number; steps: StoredStep[]; views: Map<string, TaskRollout> }>();

/** Only a labeler who was given a state of the rollout may read it (same answer as for no such rollout)… */
export function getTaskRollout(rt: Runtime, labeler: SessionUser, raw: z.input<typeof getTaskRolloutInput>): TaskRollout {
  const { rolloutId } = getTaskRolloutInput.parse(raw);
  const held = prepared(rt.db, 'taskRollout.held', (d) =>
    d
      .select({ one: sql<number>`1` })
      .from(task)
      .innerJoin(query, eq(query.id, task.queryId))
      // …and who is still a member of its project.
      .innerJoin(projectMember, and(eq(projectMember.projectId, task.projectId), eq(projectMember.userId, task.labelerId)))
      .where(and(eq(task.labelerId, sql.placeholder('labelerId')), eq(query.rolloutId, sql.placeholder('rolloutId'))))
      // Newest task first: the labeler asks for a rollout when a task on it has just been given, so the walk
      // down their tasks stops at once (in id order it walked all their earlier tasks, more every label).
      .orderBy(desc(task.queryId))
      .limit(fixedLimit(1))
      .prepare(),
  ).get({ labelerId: labeler.id, rolloutId });
  const r = held ? rolloutSteps(rt, rolloutId) : null;
  if (!r) throw notFound('Rollout');
  const show = projectSettings(rt.db, r.projectId).showPolicyAction;
  // One frozen view per rollout (and policy-action setting): every labeler of the rollout gets the same
  // object, which the Node tRPC handler then serialises only once.
  const key = `${show}`;
  let view = r.views.get(key);
  if (!view) {
    view = deepFreeze({
      rolloutId,
      states: r.steps.map((s) => s.state),
      actions: r.steps.map((s) => s.action),
      policyActions: show ? r.steps.map((s) => s.policyAction) : null,
    });
    r.views.set(key, view);
  }
  return view;
}

/** A rollout's steps, parsed once per process, and the views made of them. */
function rolloutSteps(rt: Runtime, rolloutId: number) {
  const key = `${rt.config.dataDir}:${rolloutId}`;
  const hit = stepsCache.get(key);
  if (hit) return hit;
  const row = rt.db.select({ projectId: rollout.projectId, steps: rollout.steps }).from(rollout).where(eq(rollout.id, rolloutId)).get();
  if (!row) return null;
  const entry = { projectId: row.projectId, steps: row.steps as StoredStep[], views: new Map<string, TaskRollout>() };
  if (stepsCache.size >= 64) stepsCache.delete(stepsCache.keys().next().value!);
  stepsCache.set(key, entry);
  return entry;
}
