/**
 * `task.next`: leases the next state a labeler should label. A query is offered while its submitted
 * labels plus live leases are fewer than it requires; a labeler never gets the same query twice (unique
 * task row per query and labeler); an expired lease simply stops counting, which returns the query to
 * the queue without any timer.
 */
import { and, asc, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { datasetItem, label, project, projectMember, query, round, task } from '@/db/schema';
import type { SessionUser } from '../auth';
import { crowdStatus } from './invites';
import { actionsMatch } from '../dagger/metrics';
import { actionSpaceOf, projectSettings, type ProjectSettings } from './project-settings';
import { fixedLimit, placeholders, prepared } from '@/db/prepared';
import { writeTransaction } from '@/db/group-commit';
import type { Runtime } from '../runtime';

export const claimTaskInput = z.object({
  /** Only this project's tasks (default: any project the labeler belongs to). */
  projectId: z.number().int().positive().optional(),
});

export interface TaskView {
  taskId: number;
  queryId: number;
  projectId: number;
  projectName: string;
  envId: string | null;
  roundIndex: number;
  t: number;
  state: unknown;
  obs: number[];
  leaseExpiresAt: number;
  /** Shown only when the project allows it (hidden by default to avoid anchoring). */
  policyAction: unknown;
  /**
   * The rollout the state comes from, for the timeline player: the client fetches it once with
   * `task.rollout` (rollouts are append-only, so it caches it for every later task of the same rollout).
   */
  rolloutId: number | null;
  frameUrl: string | null;
}

export function claimTask(rt: Runtime, labeler: SessionUser, raw: z.input<typeof claimTaskInput> = {}, now = Date.now()): TaskView | null {
  const input = claimTaskInput.parse(raw);
  // Crowd participants stop at their task cap (they then see their completion code), or when their link is revoked.
  const crowd = crowdStatus(rt.db, labeler.id);
  if (crowd && (crowd.finished || crowd.revoked)) return null;
  if (crowd?.cap) {
    const leased = rt.db
      .select({ n: sql<number>`count(*)` })
      .from(task)
      .where(and(eq(task.labelerId, labeler.id), eq(task.state, 'leased'), gt(task.leaseExpiresAt, now)))
      .get()?.n ?? 0;
    if (crowd.done + leased >= crowd.cap) return null;
  }
  const claimed = writeTransaction(rt.db, (tx) => {
    // Only projects the labeler is a member of, whatever projectId the request names.
    const projects = prepared(tx, 'claim.memberships', (d) =>
      d.select({ id: projectMember.projectId }).from(projectMember).where(eq(projectMember.userId, sql.placeholder('userId'))).prepare(),
    )
      .all({ userId: labeler.id })
      .map((p) => p.id)
      .filter((id) => !input.projectId || id === input.projectId);
    // One index walk per project (query_open_idx is ordered by id), so the first match ends the search;
    // a single query over all projects would evaluate the subqueries for every open state, then sort.
    const next = prepared(tx, 'claim.next', (d) => {
      const now = sql.placeholder('now');
      const liveTasks = sql`(select count(*) from ${task} where ${task.queryId} = ${query.id} and (${task.state} = 'submitted' or (${task.state} = 'leased' and ${task.leaseExpiresAt} > ${now})))`;
      return d
        .select({ id: query.id, projectId: query.projectId })
        .from(query)
        .innerJoin(round, and(eq(round.id, query.roundId), eq(round.phase, 'labeling')))
        .where(
          and(
            eq(query.projectId, sql.placeholder('projectId')),
            eq(query.status, 'open'),
            gt(query.id, sql.placeholder('afterId')),
            sql`not exists (select 1 from ${task} where ${task.queryId} = ${query.id} and ${task.labelerId} = ${sql.placeholder('labelerId')})`,
            sql`${liveTasks} < ${query.labelsRequired}`,
          ),
        )
        .orderBy(asc(query.id))
        .limit(fixedLimit(1))
        .prepare();
    });
    const find = (afterOf: (projectId: number) => number) => {
      let best: { id: number; projectId: number } | undefined;
      for (const projectId of projects) {
        const hit = next.get({ projectId, afterId: afterOf(projectId), labelerId: labeler.id, now });
        if (hit && (!best || hit.id < best.id)) best = hit;
      }
      return best;
    };
    // Queries are handed out in id order. Start at the project's frontier (the last query anyone claimed
    // here): the states just before it are held by other labelers, and walking over them cost more than
    // the rest of a claim. Then after the last one this labeler got; then from the start (a lease that
    // expired, a skip or a request for one more label may have freed an older one).
    const cursor =
      prepared(tx, 'claim.cursor', (d) =>
        d.select({ last: sql<number | null>`max(${task.queryId})` }).from(task).where(eq(task.labelerId, sql.placeholder('labelerId'))).prepare(),
      ).get({ labelerId: labeler.id })?.last ?? 0;
    const frontierOf = (projectId: number) => Math.max(cursor, (frontiers.get(frontierKey(rt, projectId)) ?? 0) - 1);
    const candidate = find(frontierOf) ?? find(() => cursor) ?? (cursor > 0 ? find(() => 0) : undefined);
    if (!candidate) return null;
    frontiers.set(frontierKey(rt, candidate.projectId), candidate.id);
    const settings = projectSettings(tx, candidate.projectId);
    const inserted = prepared(tx, 'claim.insert', (d) =>
      d
        .insert(task)
        .values({ ...placeholders('queryId', 'projectId', 'labelerId', 'leasedAt', 'leaseExpiresAt'), state: 'leased' })
        .returning()
        .prepare(),
    ).get({ queryId: candidate.id, projectId: candidate.projectId, labelerId: labeler.id, leasedAt: now, leaseExpiresAt: now + settings.leaseSeconds * 1000 });
    return inserted ? { task: inserted, settings } : null;
  });
  if (!claimed) return null;
  return taskView(rt, claimed.task.id, labeler, claimed.settings);
}

/**
 * Per project, the query most recently claimed in this process: where the next claim starts looking. Only a
 * starting point — a claim that finds nothing from there looks again from further back — so a stale or
 * missing entry (another process claiming, a restart) costs a longer walk, never a wrong answer.
 */
const frontiers = new Map<string, number>();
const frontierKey = (rt: Runtime, projectId: number) => `${rt.config.dataDir}:${projectId}`;

/** The labeler-facing view of one of their tasks (never says whether it is a gold state). */
export function taskView(rt: Runtime, taskId: number, labeler: SessionUser, knownSettings?: ProjectSettings): TaskView | null {
  const row = prepared(rt.db, 'taskView', (d) =>
    d
      .select({ task, query, projectName: project.name, envId: project.envId, roundIndex: round.index })
      .from(task)
      .innerJoin(query, eq(query.id, task.queryId))
      .innerJoin(project, eq(project.id, task.projectId))
      .innerJoin(round, eq(round.id, query.roundId))
      .where(and(eq(task.id, sql.placeholder('taskId')), eq(task.labelerId, sql.placeholder('labelerId'))))
      .prepare(),
  ).get({ taskId, labelerId: labeler.id });
  if (!row) return null;
  const settings = knownSettings ?? projectSettings(rt.db, row.task.projectId);
  return {
    taskId: row.task.id,
    queryId: row.query.id,
    projectId: row.task.projectId,
    projectName: row.projectName,
    envId: row.envId,
    roundIndex: row.roundIndex,
    t: row.query.t,
    state: row.query.state,
    obs: row.query.obs,
    leaseExpiresAt: row.task.leaseExpiresAt,
    policyAction: settings.showPolicyAction ? row.query.policyAction : null,
    rolloutId: row.query.rolloutId,
    frameUrl: frameOf(row.query.state),
  };
}

/** Labels of this labeler (for progress), and how many open queries remain in their projects. */
export function labelerProgress(rt: Runtime, labeler: SessionUser, since: number) {
  const done = rt.db
    .select({ n: sql<number>`count(*)` })
    .from(label)
    .where(and(eq(label.labelerId, labeler.id), gt(label.createdAt, since)))
    .get()?.n ?? 0;
  const projects = rt.db.select({ id: projectMember.projectId }).from(projectMember).where(eq(projectMember.userId, labeler.id)).all();
  const remaining = projects.length
    ? (rt.db
        .select({ n: sql<number>`count(*)` })
        .from(query)
        .innerJoin(round, and(eq(round.id, query.roundId), eq(round.phase, 'labeling')))
        .where(and(eq(query.status, 'open'), inArray(query.projectId, projects.map((p) => p.id))))
        .get()?.n ?? 0)
    : 0;
  // Own agreement with consensus, over the labeler's most recent labels whose state has a consensus.
  const recent = rt.db
    .select({ projectId: label.projectId, mine: label.action, consensus: datasetItem.action })
    .from(label)
    .innerJoin(datasetItem, eq(datasetItem.queryId, label.queryId))
    .where(eq(label.labelerId, labeler.id))
    .orderBy(desc(label.id))
    .limit(500)
    .all();
  const agree = recent.filter((r) => actionsMatch(actionSpaceOf(rt.db, r.projectId), r.mine, r.consensus)).length;
  return { labelsThisSession: done, remainingInRound: remaining, agreement: recent.length ? agree / recent.length : null, agreementOver: recent.length };
}

/** External projects store an uploaded frame instead of an environment state. */
function frameOf(state: unknown): string | null {
  const f = (state as { frame?: unknown } | null)?.frame;
  return typeof f === 'string' && /^[0-9a-f]{64}\.(png|jpg)$/.test(f) ? `/api/frames/${f}` : null;
}
