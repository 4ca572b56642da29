/**
 * Dataset export from one internal table, in the formats researchers load: JSONL (one item per line with
 * its provenance), NumPy `.npz` in the D4RL layout (observations, actions, rewards, terminals,
 * timeouts) and a Minari dataset (HDF5, one episode per source trajectory), both with provenance arrays
 * (rounds, sources, agreement, label counts, ids) that standard loaders ignore. Excluded items are left
 * out unless asked for.
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { datasetItem, round, rollout } from '@/db/schema';
import type { Action } from '@/envs/types';
import { encodeMinariZip, type MinariEpisode } from '../export/minari';
import { encodeNpz } from '../export/npz';
import { actionSpaceOf, observationSpaceOf, projectSettings } from './project-settings';

export const DATASET_FORMATS = ['jsonl', 'npz', 'minari'] as const;
export type DatasetFormat = (typeof DATASET_FORMATS)[number];

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
  const rollouts = rolloutsOf(db, rows, { observations: false });
  const outcomes = rows.map((r) => outcomeOf(r, rollouts));
  const rewards = Float32Array.from(outcomes.map((o) => o.reward));
  const terminals = Uint8Array.from(outcomes.map((o) => (o.terminated ? 1 : 0)));
  const timeouts = Uint8Array.from(outcomes.map((o) => (o.truncated ? 1 : 0)));
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

/** What the Minari export needs of a rollout. `steps` are StoredStep (server/jobs/rollouts.ts). */
export interface EpisodeSource {
  seed: number | null;
  length: number;
  truncated: boolean;
  steps: { reward?: number; terminated?: boolean }[];
  observations: number[][] | null;
}

type ExportRow = ReturnType<typeof exportRows>[number];

/** The rollouts the rows were taken from (their observations only when asked: they are the bulk of a row). */
function rolloutsOf(db: Db, rows: ExportRow[], opts: { observations: boolean }): Map<number, EpisodeSource> {
  const ids = [...new Set(rows.map((r) => r.rolloutId).filter((x): x is number => x !== null))];
  const out = new Map<number, EpisodeSource>();
  for (let i = 0; i < ids.length; i += 500) {
    for (const ro of db
      .select({
        id: rollout.id,
        seed: rollout.seed,
        length: rollout.length,
        truncated: rollout.truncated,
        steps: rollout.steps,
        ...(opts.observations ? { observations: rollout.observations } : {}),
      })
      .from(rollout)
      .where(inArray(rollout.id, ids.slice(i, i + 500)))
      .all()) {
      out.set(ro.id, { seed: ro.seed, length: ro.length, truncated: ro.truncated, steps: ro.steps as EpisodeSource['steps'], observations: ro.observations ?? null });
    }
  }
  return out;
}

/** Reward and episode end at an item's step of its rollout (0 / false when it has none). */
function outcomeOf(r: ExportRow, rollouts: Map<number, EpisodeSource>): { reward: number; terminated: boolean; truncated: boolean } {
  const ro = r.rolloutId !== null && r.t !== null ? rollouts.get(r.rolloutId) : undefined;
  const step = ro?.steps[r.t!];
  return { reward: step?.reward ?? 0, terminated: step?.terminated === true, truncated: !!ro && ro.truncated && r.t === ro.length - 1 };
}

/**
 * Groups dataset items into Minari episodes: one per rollout or demonstration the items were taken from,
 * steps ordered by their time step t (then id); items without a rollout form one episode per round and
 * source, in the order they were added. Episodes are numbered by their first item's id.
 *
 * Minari wants T + 1 observations for T steps. The last one is the observation the rollout recorded after
 * the last item's state (observations[t + 1]) when it has one; otherwise (the item was the rollout's last
 * step, or there is no rollout) the last item's observation is repeated, and the episode's attribute
 * `final_observation_repeated` is 1. Rewards and episode ends are the rollout's at step t, as in the npz.
 */
export function minariEpisodes(rows: ExportRow[], rollouts: Map<number, EpisodeSource>): MinariEpisode[] {
  const groups = new Map<string, ExportRow[]>();
  for (const r of rows) {
    const key = r.rolloutId !== null ? `rollout ${r.rolloutId}` : `round ${r.round} ${r.source}`;
    const g = groups.get(key);
    if (g) g.push(r);
    else groups.set(key, [r]);
  }
  return [...groups.values()].map((items) => {
    const rolloutId = items[0]!.rolloutId;
    const ro = rolloutId !== null ? rollouts.get(rolloutId) : undefined;
    if (rolloutId !== null) items.sort((a, b) => (a.t ?? -1) - (b.t ?? -1) || a.id - b.id);
    const last = items.at(-1)!;
    const next = ro && last.t !== null ? ro.observations?.[last.t + 1] : undefined;
    const outcomes = items.map((r) => outcomeOf(r, rollouts));
    return {
      seed: ro?.seed ?? null,
      observations: [...items.map((r) => r.obs), next ?? last.obs],
      actions: items.map((r) => r.action as Action),
      rewards: outcomes.map((o) => o.reward),
      terminations: outcomes.map((o) => o.terminated),
      truncations: outcomes.map((o) => o.truncated),
      extra: {
        rounds: { dtype: 'int64', values: items.map((r) => r.round) },
        sources: { dtype: 'string', values: items.map((r) => r.source) },
        agreement: { dtype: 'float64', values: items.map((r) => r.agreement) },
        label_counts: { dtype: 'int64', values: items.map((r) => r.labelCount) },
        ids: { dtype: 'int64', values: items.map((r) => r.id) },
        // t in the original rollout (-1 when unknown); DAgger rounds label selected states, so t may skip.
        timesteps: { dtype: 'int64', values: items.map((r) => r.t ?? -1) },
      },
      attrs: { ...(rolloutId !== null ? { rollout_id: rolloutId } : {}), final_observation_repeated: next ? 0 : 1 },
    };
  });
}

const MINARI_DESCRIPTION =
  'DAgger Studio dataset: the aggregated dataset of a human-in-the-loop DAgger project (expert demonstrations and ' +
  'labelled learner states, with the expert or consensus action, never the learner action). One episode per source ' +
  'rollout or demonstration, steps in time order; in DAgger rounds only selected states are labelled, so steps may ' +
  'skip time (see the per-episode dataset `timesteps`). The observation after the last step is the one the rollout ' +
  'recorded after it when there is one, otherwise the last observation repeated (episode attribute ' +
  '`final_observation_repeated`). Rewards, terminations and truncations are those of the rollout at that step (0 when ' +
  'unknown). Excluded items are left out.';

/** The project's dataset as a zip of a Minari dataset folder (`data/main_data.hdf5`, `data/metadata.json`). */
export async function exportMinari(db: Db, projectId: number): Promise<Buffer> {
  const rows = exportRows(db, projectId);
  const episodes = minariEpisodes(rows, rolloutsOf(db, rows, { observations: true }));
  const action = actionSpaceOf(db, projectId);
  const observation = observationSpaceOf(db, projectId);
  return encodeMinariZip({
    datasetId: `dagger-studio/project-${projectId}-v0`,
    episodes,
    spaces: { observation, action },
    metadata: {
      algorithm_name: 'DAgger (human-in-the-loop)',
      description: MINARI_DESCRIPTION,
      dagger_studio: {
        project_id: projectId,
        env_id: projectSettings(db, projectId).envId ?? null,
        observation_names: observation.names,
        action_names: action.names,
        episodes: 'one per source rollout or demonstration; items without a rollout: one per round and source',
        final_observation: 'observations[t + 1] of the rollout when recorded, otherwise the last observation repeated (attribute final_observation_repeated = 1)',
        step_datasets: ['rounds', 'sources', 'agreement', 'label_counts', 'ids', 'timesteps'],
        episode_attributes: ['rollout_id', 'final_observation_repeated'],
        flags_dtype: 'terminations and truncations are uint8 0/1 (h5py writes bool as an HDF5 enum, which h5wasm cannot create)',
      },
    },
  });
}
