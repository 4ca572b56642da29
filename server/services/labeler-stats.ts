/**
 * Labeler quality from gold states (states whose answer the scripted expert or a researcher knows) and
 * agreement with consensus. Weights feed the weighted majority vote in aggregation.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { datasetItem, label, query, user } from '@/db/schema';
import { labelerAccuracy, labelerWeight } from '../dagger/aggregate';
import { actionsMatch } from '../dagger/metrics';
import type { ActionSpace } from '@/envs/types';
import { actionSpaceFrom, projectSettings } from './project-settings';
import { prepared } from '@/db/prepared';

/** Written out, not bound: SQLite uses the partial index label_gold_idx only for a literal `gold = 1`. */
const goldOnly = sql`${label.gold} = 1`;

interface GoldTally {
  correct: number;
  total: number;
}

function goldTallies(db: DbOrTx, projectId: number, space: ActionSpace, labelerIds?: string[]): Map<string, GoldTally> {
  const select = (d: DbOrTx) =>
    d.select({ labelerId: label.labelerId, action: label.action, gold: query.goldAction }).from(label).innerJoin(query, eq(query.id, label.queryId));
  // Per labeler (the vote weights of one state's few labelers, on every label) or the whole project (the stats page).
  const rows = labelerIds
    ? labelerIds.flatMap((labelerId) =>
        prepared(db, 'goldTallies.labeler', (d) =>
          select(d)
            .where(and(eq(label.projectId, sql.placeholder('projectId')), eq(label.labelerId, sql.placeholder('labelerId')), goldOnly))
            .prepare(),
        ).all({ projectId, labelerId }),
      )
    : select(db).where(and(eq(label.projectId, projectId), goldOnly)).all();
  const out = new Map<string, GoldTally>();
  for (const r of rows) {
    const t = out.get(r.labelerId) ?? { correct: 0, total: 0 };
    t.total++;
    if (r.gold !== null && r.gold !== undefined && actionsMatch(space, r.action, r.gold as number | number[])) t.correct++;
    out.set(r.labelerId, t);
  }
  return out;
}

/**
 * Vote weight per labeler: from gold accuracy (with a prior, so a newcomer starts near 1). Takes the
 * project's settings when the caller has them (aggregation runs on every label).
 */
export function labelerWeights(db: DbOrTx, projectId: number, labelerIds: string[], settings = projectSettings(db, projectId)): Map<string, number> {
  const tallies = goldTallies(db, projectId, actionSpaceFrom(settings), labelerIds);
  const out = new Map<string, number>();
  for (const id of labelerIds) {
    const t = tallies.get(id) ?? { correct: 0, total: 0 };
    const acc = labelerAccuracy(t.correct, t.total);
    out.set(id, labelerWeight(acc, { flagBelow: settings.flagBelowAccuracy, gold: t.total }));
  }
  return out;
}

export interface LabelerStats {
  labelerId: string;
  email: string;
  labels: number;
  goldCorrect: number;
  goldTotal: number;
  goldAccuracy: number | null;
  agreementWithConsensus: number | null;
  labelsPerMinute: number | null;
  medianTimeMs: number | null;
  flagged: boolean;
  weight: number;
}

/** The researcher's table of labelers in a project. */
export function labelerStats(db: DbOrTx, projectId: number): LabelerStats[] {
  const settings = projectSettings(db, projectId);
  const space = actionSpaceFrom(settings);
  const labels = db
    .select({ labelerId: label.labelerId, action: label.action, timeMs: label.timeMs, createdAt: label.createdAt, consensus: datasetItem.action, email: user.email })
    .from(label)
    .innerJoin(user, eq(user.id, label.labelerId))
    .leftJoin(datasetItem, eq(datasetItem.queryId, label.queryId))
    .where(eq(label.projectId, projectId))
    .all();
  const tallies = goldTallies(db, projectId, space);
  const by = new Map<string, typeof labels>();
  for (const l of labels) by.set(l.labelerId, [...(by.get(l.labelerId) ?? []), l]);
  return [...by.entries()].map(([labelerId, ls]) => {
    const t = tallies.get(labelerId) ?? { correct: 0, total: 0 };
    const withConsensus = ls.filter((l) => l.consensus !== null);
    const agree = withConsensus.filter((l) => actionsMatch(space, l.action, l.consensus as number | number[])).length;
    const times = ls.map((l) => l.timeMs).sort((a, b) => a - b);
    const span = Math.max(...ls.map((l) => l.createdAt)) - Math.min(...ls.map((l) => l.createdAt));
    const acc = labelerAccuracy(t.correct, t.total);
    const weight = labelerWeight(acc, { flagBelow: settings.flagBelowAccuracy, gold: t.total });
    return {
      labelerId,
      email: ls[0]!.email,
      labels: ls.length,
      goldCorrect: t.correct,
      goldTotal: t.total,
      goldAccuracy: t.total ? t.correct / t.total : null,
      agreementWithConsensus: withConsensus.length ? agree / withConsensus.length : null,
      labelsPerMinute: span > 0 ? (ls.length / span) * 60_000 : null,
      medianTimeMs: times.length ? times[Math.floor(times.length / 2)]! : null,
      flagged: t.total >= 3 && acc < settings.flagBelowAccuracy,
      weight,
    };
  });
}
