/**
 * Every export format loaded the way a researcher loads it: Debian's Python with json, zipfile, numpy and
 * h5py (the Minari episode reader re-done without gymnasium), compared value by value with the database.
 * Skipped, with a warning, where /usr/bin/python3 lacks numpy or h5py (CI installs python3-numpy and
 * python3-h5py).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetItem, round } from '@/db/schema';
import { getEnv } from '@/envs/registry';
import { exportJsonl, exportMinari, exportNpz } from '../services/export-dataset';
import { expectedEpisodes, makeExportFixture, type ExportFixture } from './testing';

const PYTHON = '/usr/bin/python3';
const probe = spawnSync(PYTHON, ['-c', 'import numpy, h5py'], { encoding: 'utf8' });
const noPython = probe.status !== 0 ? `${PYTHON} cannot import numpy and h5py (${(probe.error?.message ?? probe.stderr).trim().split('\n').at(-1)}); install python3-numpy python3-h5py` : null;
if (noPython) console.warn(`Skipping the Python load test: ${noPython}`);

/** Loads (jsonl, npz, minari zip) triples given as arguments and prints what it read as JSON. */
const LOADER = String.raw`
import json, os, sys, tempfile, zipfile
import numpy as np, h5py

def arr(v):
    v = np.asarray(v)
    if v.dtype.kind == 'O':  # h5py variable-length strings come back as bytes
        return {'dtype': 'vlen-str', 'shape': list(v.shape), 'values': [s.decode('utf-8') for s in v]}
    return {'dtype': v.dtype.str, 'shape': list(v.shape), 'values': v.tolist()}

def floats(xs):  # JSON has no infinities
    return [x if np.isfinite(x) else str(x) for x in xs]

out = []
args = sys.argv[1:]
for jsonl, npz, mzip in zip(args[0::3], args[1::3], args[2::3]):
    with open(jsonl) as f:
        lines = [json.loads(l) for l in f if l.strip()]
    d = np.load(npz)
    npz_arrays = {k: arr(d[k]) for k in d.files}
    with zipfile.ZipFile(mzip) as z:
        names = z.namelist()
        tmp = tempfile.mkdtemp()
        z.extractall(tmp)
    # minari.MinariStorage.read_raw_metadata, then serialization.deserialize_space's view of the spaces.
    with open(os.path.join(tmp, 'data', 'metadata.json')) as f:
        meta = json.load(f)
    spaces = {}
    for key in ('observation_space', 'action_space'):
        s = json.loads(meta[key])
        if s['type'] == 'Box':
            low, high = np.array(s['low'], dtype=s['dtype']), np.array(s['high'], dtype=s['dtype'])
            # minari.serialization._serialize_box applied to that space again: must give the same string.
            again = json.dumps({'type': 'Box', 'dtype': str(low.dtype), 'shape': list(low.shape), 'low': low.tolist(), 'high': high.tolist()})
            spaces[key] = {'type': 'Box', 'shape': list(low.shape), 'low': floats(low.tolist()), 'high': floats(high.tolist()), 'same': again == meta[key]}
        else:
            again = json.dumps({'type': 'Discrete', 'dtype': 'int64', 'start': int(s['start']), 'n': int(s['n'])})
            spaces[key] = {'type': s['type'], 'n': s['n'], 'start': s['start'], 'same': again == meta[key]}
    # minari HDF5Storage: total_episodes counts the root groups; get_episodes reads episode_{i};
    # get_episode_metadata returns the group attributes.
    episodes = []
    with h5py.File(os.path.join(tmp, 'data', 'main_data.hdf5'), 'r') as f:
        groups = len(f.keys())
        for i in range(meta['total_episodes']):
            g = f['episode_%d' % i]
            episodes.append({
                'attrs': {k: v.item() for k, v in g.attrs.items()},
                'attr_types': {k: type(v).__name__ for k, v in g.attrs.items()},
                'data': {k: arr(g[k][()]) for k in g.keys() if isinstance(g[k], h5py.Dataset)},
                'groups': {k: list(g[k].keys()) for k in g.keys() if isinstance(g[k], h5py.Group)},
            })
    out.append({
        'jsonl': lines,
        'npz': npz_arrays,
        'minari': {'names': names, 'metadata': meta, 'spaces': spaces, 'groups': groups, 'episodes': episodes},
    })
print(json.dumps(out))
`;

interface Arr {
  dtype: string;
  shape: number[];
  values: unknown;
}
interface Loaded {
  jsonl: Record<string, unknown>[];
  npz: Record<string, Arr>;
  minari: {
    names: string[];
    metadata: Record<string, unknown>;
    spaces: Record<'observation_space' | 'action_space', Record<string, unknown>>;
    groups: number;
    episodes: { attrs: Record<string, number>; attr_types: Record<string, string>; data: Record<string, Arr>; groups: Record<string, string[]> }[];
  };
}

const f32 = (xs: number[]) => xs.map(Math.fround);
const pyFloats = (xs: number[]) => xs.map((x) => (Number.isFinite(x) ? x : x > 0 ? 'inf' : '-inf'));

describe.skipIf(noPython !== null)('exports loaded in Python (json, zipfile, numpy, h5py)', () => {
  let fx: ExportFixture;
  let dir: string;
  const loaded = new Map<number, Loaded>();

  beforeAll(async () => {
    fx = await makeExportFixture();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'export-py-'));
    const args: string[] = [];
    for (const p of [fx.discrete, fx.box]) {
      const base = path.join(dir, `project-${p}-dataset`);
      fs.writeFileSync(`${base}.jsonl`, exportJsonl(fx.rt.db, p));
      fs.writeFileSync(`${base}.npz`, exportNpz(fx.rt.db, p));
      fs.writeFileSync(`${base}-minari.zip`, await exportMinari(fx.rt.db, p));
      args.push(`${base}.jsonl`, `${base}.npz`, `${base}-minari.zip`);
    }
    const r = spawnSync(PYTHON, ['-c', LOADER, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    if (r.status !== 0) throw new Error(`python loader failed (${r.status}): ${r.stderr}`);
    const out = JSON.parse(r.stdout) as Loaded[];
    loaded.set(fx.discrete, out[0]!);
    loaded.set(fx.box, out[1]!);
  });
  afterAll(() => {
    fx?.rt.cleanup();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The included items in id order, as every flat format lists them. */
  const itemsOf = (projectId: number) =>
    fx.rt.db
      .select({ item: datasetItem, roundIndex: round.index })
      .from(datasetItem)
      .innerJoin(round, eq(round.id, datasetItem.roundId))
      .where(and(eq(datasetItem.projectId, projectId), eq(datasetItem.excluded, false)))
      .orderBy(asc(datasetItem.id))
      .all()
      .map((r) => ({ ...r.item, roundIndex: r.roundIndex }));

  it.each(['discrete', 'box'] as const)('JSONL of the %s project: one line per included item with its provenance', (which) => {
    const items = itemsOf(fx[which]);
    const lines = loaded.get(fx[which])!.jsonl;
    expect(lines.map((l) => l.id)).toEqual(items.map((i) => i.id));
    expect(lines.map((l) => [l.obs, l.action, l.round, l.source, l.agreement, l.label_count, l.rollout_id, l.t])).toEqual(
      items.map((i) => [i.obs, i.action, i.roundIndex, i.source, i.agreement, i.labelCount, i.rolloutId, i.t]),
    );
    for (const id of fx.excludedIds) expect(lines.map((l) => l.id)).not.toContain(id);
  });

  it.each(['discrete', 'box'] as const)('npz of the %s project: D4RL arrays and provenance, row i = item i', (which) => {
    const items = itemsOf(fx[which]);
    const n = items.length;
    const npz = loaded.get(fx[which])!.npz;
    const perItem = new Map(expectedEpisodes(fx.rt, fx[which]).flatMap((e) => e.items.map((it, k) => [it.id, { reward: e.rewards[k]!, terminal: e.terminations[k]!, timeout: e.truncations[k]! }] as const)));
    const obsDim = items[0]!.obs.length;
    expect(npz.observations).toEqual({ dtype: '<f4', shape: [n, obsDim], values: items.map((i) => f32(i.obs)) });
    expect(npz.actions).toEqual(
      which === 'discrete'
        ? { dtype: '<i8', shape: [n], values: items.map((i) => i.action) }
        : { dtype: '<f4', shape: [n, 2], values: items.map((i) => f32(i.action as number[])) },
    );
    expect(npz.rewards).toEqual({ dtype: '<f4', shape: [n], values: f32(items.map((i) => perItem.get(i.id)!.reward)) });
    expect(npz.terminals).toEqual({ dtype: '|b1', shape: [n], values: items.map((i) => perItem.get(i.id)!.terminal) });
    expect(npz.timeouts).toEqual({ dtype: '|b1', shape: [n], values: items.map((i) => perItem.get(i.id)!.timeout) });
    expect(npz.rounds).toEqual({ dtype: '<i8', shape: [n], values: items.map((i) => i.roundIndex) });
    expect(npz.sources!.values).toEqual(items.map((i) => i.source));
    expect(npz.sources!.dtype).toMatch(/^<U\d+$/);
    expect(npz.agreement).toEqual({ dtype: '<f8', shape: [n], values: items.map((i) => i.agreement) });
    expect(npz.label_counts).toEqual({ dtype: '<i8', shape: [n], values: items.map((i) => i.labelCount) });
    expect(npz.ids).toEqual({ dtype: '<i8', shape: [n], values: items.map((i) => i.id) });
  });

  it.each(['discrete', 'box'] as const)('Minari zip of the %s project: metadata, spaces and episodes as Minari reads them', (which) => {
    const projectId = fx[which];
    const expected = expectedEpisodes(fx.rt, projectId);
    const m = loaded.get(projectId)!.minari;
    expect(m.names).toEqual(['data/main_data.hdf5', 'data/metadata.json']);
    const totalSteps = expected.reduce((s, e) => s + e.items.length, 0);
    expect(totalSteps).toBe(itemsOf(projectId).length);
    expect(m.metadata).toMatchObject({ dataset_id: `dagger-studio/project-${projectId}-v0`, total_episodes: expected.length, total_steps: totalSteps, data_format: 'hdf5', minari_version: '0.5.0' });
    expect(m.groups).toBe(expected.length);
    // The serialised spaces are exactly what Minari's serializer writes for the same Gymnasium spaces.
    expect(m.spaces.observation_space.same).toBe(true);
    expect(m.spaces.action_space.same).toBe(true);
    if (which === 'discrete') {
      const env = getEnv('CartPole-v1');
      expect(m.spaces.observation_space).toMatchObject({ type: 'Box', shape: [4], low: pyFloats(f32(env.observationSpace.low)), high: pyFloats(f32(env.observationSpace.high)) });
      expect(m.spaces.action_space).toMatchObject({ type: 'Discrete', n: 2, start: 0 });
    } else {
      expect(m.spaces.observation_space).toMatchObject({ type: 'Box', shape: [3], low: ['-inf', '-inf', '-inf'] });
      expect(m.spaces.action_space).toMatchObject({ type: 'Box', shape: [2], low: [-1, -2], high: [1, 2] });
    }
    expect(m.episodes).toHaveLength(expected.length);
    expected.forEach((e, i) => {
      const ep = m.episodes[i]!;
      const T = e.items.length;
      expect(ep.attrs).toEqual({
        id: i,
        total_steps: T,
        ...(e.seed !== null ? { seed: e.seed } : {}),
        ...(e.rolloutId !== null ? { rollout_id: e.rolloutId } : {}),
        final_observation_repeated: e.next ? 0 : 1,
      });
      expect(new Set(Object.values(ep.attr_types))).toEqual(new Set(['int64']));
      const obsRows = [...e.items.map((it) => it.obs), e.next ?? e.items.at(-1)!.obs];
      expect(ep.data.observations).toEqual({ dtype: '<f4', shape: [T + 1, obsRows[0]!.length], values: obsRows.map(f32) });
      expect(ep.data.actions).toEqual(
        which === 'discrete'
          ? { dtype: '<i8', shape: [T], values: e.items.map((it) => it.action) }
          : { dtype: '<f4', shape: [T, 2], values: e.items.map((it) => f32(it.action as number[])) },
      );
      expect(ep.data.rewards).toEqual({ dtype: '<f8', shape: [T], values: e.rewards });
      expect(ep.data.terminations).toEqual({ dtype: '|u1', shape: [T], values: e.terminations.map(Number) });
      expect(ep.data.truncations).toEqual({ dtype: '|u1', shape: [T], values: e.truncations.map(Number) });
      expect(ep.data.rounds).toEqual({ dtype: '<i8', shape: [T], values: e.items.map((it) => it.roundIndex) });
      expect(ep.data.sources).toEqual({ dtype: 'vlen-str', shape: [T], values: e.items.map((it) => it.source) });
      expect(ep.data.agreement).toEqual({ dtype: '<f8', shape: [T], values: e.items.map((it) => it.agreement) });
      expect(ep.data.label_counts).toEqual({ dtype: '<i8', shape: [T], values: e.items.map((it) => it.labelCount) });
      expect(ep.data.ids).toEqual({ dtype: '<i8', shape: [T], values: e.items.map((it) => it.id) });
      expect(ep.data.timesteps).toEqual({ dtype: '<i8', shape: [T], values: e.items.map((it) => it.t) });
      expect(ep.groups).toEqual({ infos: [] });
      expect(Object.keys(ep.data).sort()).toEqual(['actions', 'agreement', 'ids', 'label_counts', 'observations', 'rewards', 'rounds', 'sources', 'terminations', 'timesteps', 'truncations']);
    });
  });
});
