/**
 * Aggregates the labels of one query inside the caller's transaction. On consensus the state enters the
 * dataset (source "dagger") and the query is resolved; a tie or low agreement asks for one more label
 * (up to the project's maximum); when the last open query of a round resolves, the round moves to training.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { datasetItem, label, query, round, rollout } from '@/db/schema';
import { aggregateLabels } from '../dagger/aggregate';
import { actionSpaceFrom, projectSettings, type ProjectSettings } from './project-settings';
import { labelerWeights } from './labeler-stats';
import { beginTraining } from './begin-training';
import { fixedLimit, placeholders, prepared } from '@/db/prepared';

export function resolveQuery(tx: DbOrTx, queryId: number, now: number, opts: { force?: boolean; settings?: ProjectSettings } = {}): boolean {
  const q = prepared(tx, 'resolve.query', (d) => d.select().from(query).where(eq(query.id, sql.placeholder('id'))).prepare()).get({ id: queryId });
  if (!q || q.status !== 'open') return false;
  // The caller may have read the project's settings already (submitting a label does).
  const settings = opts.settings ?? projectSettings(tx, q.projectId);
  const space = actionSpaceFrom(settings);
  const labels = prepared(tx, 'resolve.labels', (d) => d.select().from(label).where(eq(label.queryId, sql.placeholder('id'))).prepare()).all({ id: queryId });
  if (labels.length === 0) return false;
  const weights = labelerWeights(tx, q.projectId, [...new Set(labels.map((l) => l.labelerId))], settings);
  const result = aggregateLabels(
    space,
    labels.map((l) => ({ action: l.action, unsure: l.unsure, weight: weights.get(l.labelerId) ?? 1 })),
    {
      labelsPerState: q.labelsRequired,
      maxLabelsPerState: Math.max(q.labelsRequired, settings.aggregation.maxLabelsPerState),
      minAgreement: settings.aggregation.minAgreement,
    },
  );
  if (result.status === 'needs_more' && !opts.force) {
    // Ties and low agreement ask for one more opinion, up to the maximum.
    if (labels.length >= q.labelsRequired && q.labelsRequired < settings.aggregation.maxLabelsPerState) {
      tx.update(query).set({ labelsRequired: q.labelsRequired + 1 }).where(eq(query.id, q.id)).run();
    }
    return false;
  }
  if (result.action === null) return false;
  prepared(tx, 'resolve.insertItem', (d) =>
    d
      .insert(datasetItem)
      .values({
        ...placeholders('projectId', 'roundId', 'queryId', 'rolloutId', 't', 'obs', 'state', 'action', 'agreement', 'labelCount', 'labelIds', 'createdAt'),
        source: 'dagger',
      })
      .prepare(),
  ).run({
    projectId: q.projectId,
    roundId: q.roundId,
    queryId: q.id,
    rolloutId: q.rolloutId,
    t: q.t,
    obs: q.obs,
    state: q.state,
    action: result.action,
    agreement: result.agreement,
    labelCount: labels.length,
    labelIds: labels.map((l) => l.id),
    createdAt: now,
  });
  prepared(tx, 'resolve.markResolved', (d) => d.update(query).set({ status: 'resolved' }).where(eq(query.id, sql.placeholder('id'))).prepare()).run({ id: q.id });
  maybeFinishLabeling(tx, q.roundId, now, settings);
  return true;
}

/** When no open query is left in a round that is labeling, the round moves on to training. */
export function maybeFinishLabeling(tx: DbOrTx, roundId: number, now: number, knownSettings?: ProjectSettings): void {
  const r = prepared(tx, 'resolve.round', (d) => d.select().from(round).where(eq(round.id, sql.placeholder('id'))).prepare()).get({ id: roundId });
  if (!r || r.phase !== 'labeling' || r.index === 0) return;
  // Any open query left? (an existence check: counting them would walk every open one on each label)
  const open = prepared(tx, 'resolve.anyOpen', (d) =>
    d.select({ id: query.id }).from(query).where(and(eq(query.roundId, sql.placeholder('roundId')), eq(query.status, 'open'))).limit(fixedLimit(1)).prepare(),
  ).get({ roundId });
  if (open) return;
  // An external round also waits until the simulator has posted the round's rollouts.
  const settings = knownSettings ?? projectSettings(tx, r.projectId);
  if (!settings.envId) {
    const received = tx.select({ n: sql<number>`count(*)` }).from(rollout).where(eq(rollout.roundId, roundId)).get()?.n ?? 0;
    if (received < settings.rolloutEpisodes) return;
  }
  beginTraining(tx, r, now, { closedEarly: false });
}

/** Resolve everything that has at least one label, best effort (used when a round is closed early). */
export function resolveWhatIsLabeled(tx: DbOrTx, roundId: number, now: number): number {
  const open = tx
    .select({ id: query.id })
    .from(query)
    .where(and(eq(query.roundId, roundId), eq(query.status, 'open'), inArray(query.id, tx.select({ id: label.queryId }).from(label))))
    .all();
  let n = 0;
  for (const q of open) if (resolveQuery(tx, q.id, now, { force: true })) n++;
  return n;
}
