/**
 * Dataset export from one internal table, in the formats researchers load: JSONL (one item per line with
 * its provenance) and NumPy `.npz` in the D4RL layout (observations, actions, rewards, terminals,
 * timeouts) plus provenance arrays (rounds, sources, agreement, label counts, ids) that standard loaders
 * ignore. Excluded items are left out unless asked for.
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { datasetItem, round, rollout } from '@/db/schema';
import { encodeNpz } from '../export/npz';
import { actionSpaceOf, observationSpaceOf } from './project-settings';

export function exportRows(db: Db, projectId: number, opts: { includeExcluded?: boolean } = {}) {
  return db
    .select({
      id: datasetItem.id,
      round: round.index,
      source: datasetItem.source,
      obs: datasetItem.obs,
      action: datasetItem.action,
      agreement: datasetItem.agreement,
      labelCount: datasetItem.labelCount,
      labelIds: datasetItem.labelIds,
      rolloutId: datasetItem.rolloutId,
      t: datasetItem.t,
      excluded: datasetItem.excluded,
    })
    .from(datasetItem)
    .innerJoin(round, eq(round.id, datasetItem.roundId))
    .where(and(eq(datasetItem.projectId, projectId), opts.includeExcluded ? undefined : eq(datasetItem.excluded, false)))
    .orderBy(asc(datasetItem.id))
    .all();
}

export function exportJsonl(db: Db, projectId: number): string {
  return exportRows(db, projectId)
    .map((r) =>
      JSON.stringify({
        obs: r.obs,
        action: r.action,
        id: r.id,
        round: r.round,
        source: r.source,
        agreement: r.agreement,
        label_count: r.labelCount,
        label_ids: r.labelIds,
        rollout_id: r.rolloutId,
        t: r.t,
      }),
    )
    .join('\n')
    .concat('\n');
}

export function exportNpz(db: Db, projectId: number): Buffer {
  const rows = exportRows(db, projectId);
  const obsDim = observationSpaceOf(db, projectId).size;
  const space = actionSpaceOf(db, projectId);
  const n = rows.length;
  const observations = new Float32Array(n * obsDim);
  rows.forEach((r, i) => observations.set(r.obs, i * obsDim));
  const actions =
    space.kind === 'discrete'
      ? { dtype: '<i8' as const, shape: [n], data: BigInt64Array.from(rows.map((r) => BigInt(r.action as number))) }
      : { dtype: '<f4' as const, shape: [n, space.size], data: Float32Array.from(rows.flatMap((r) => r.action as number[])) };
  // Rewards and episode ends come from the rollout each item was taken from (0 / false when it has none).
  const rolloutIds = [...new Set(rows.map((r) => r.rolloutId).filter((x): x is number => x !== null))];
  const steps = new Map<number, { steps: { reward?: number; terminated?: boolean }[]; length: number; truncated: boolean }>();
  for (let i = 0; i < rolloutIds.length; i += 500) {
    for (const ro of db
      .select({ id: rollout.id, steps: rollout.steps, length: rollout.length, truncated: rollout.truncated })
      .from(rollout)
      .where(inArray(rollout.id, rolloutIds.slice(i, i + 500)))
      .all()) {
      steps.set(ro.id, { steps: ro.steps as { reward?: number; terminated?: boolean }[], length: ro.length, truncated: ro.truncated });
    }
  }
  const stepOf = (r: (typeof rows)[number]) => (r.rolloutId !== null && r.t !== null ? steps.get(r.rolloutId) : undefined);
  const rewards = Float32Array.from(rows.map((r) => stepOf(r)?.steps[r.t!]?.reward ?? 0));
  const terminals = Uint8Array.from(rows.map((r) => (stepOf(r)?.steps[r.t!]?.terminated ? 1 : 0)));
  const timeouts = Uint8Array.from(rows.map((r) => {
    const s = stepOf(r);
    return s && s.truncated && r.t === s.length - 1 ? 1 : 0;
  }));
  return encodeNpz({
    observations: { dtype: '<f4', shape: [n, obsDim], data: observations },
    actions,
    rewards: { dtype: '<f4', shape: [n], data: rewards },
    terminals: { dtype: '|b1', shape: [n], data: terminals },
    timeouts: { dtype: '|b1', shape: [n], data: timeouts },
    rounds: { dtype: '<i8', shape: [n], data: BigInt64Array.from(rows.map((r) => BigInt(r.round))) },
    sources: { dtype: '<U', shape: [n], strings: rows.map((r) => r.source) },
    agreement: { dtype: '<f8', shape: [n], data: Float64Array.from(rows.map((r) => r.agreement)) },
    label_counts: { dtype: '<i8', shape: [n], data: BigInt64Array.from(rows.map((r) => BigInt(r.labelCount))) },
    ids: { dtype: '<i8', shape: [n], data: BigInt64Array.from(rows.map((r) => BigInt(r.id))) },
  });
}
