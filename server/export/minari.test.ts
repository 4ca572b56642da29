/**
 * Minari export without Python: the HDF5 file is read back with h5wasm and compared with the database
 * rows; space serialisation and shape checks on their own.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { File, ready } from 'h5wasm/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET } from '@/app/api/projects/[projectId]/dataset/route';
import { getEnv } from '@/envs/registry';
import type { Runtime } from '../runtime';
import { exportMinari, minariEpisodes, type EpisodeSource } from '../services/export-dataset';
import { checkEpisode, encodeMinariHdf5, encodeMinariZip, serializeSpace, type MinariEpisode } from './minari';
import { expectedEpisodes, makeExportFixture, readStoredZip, type ExportFixture } from './testing';

const f32 = (xs: number[]) => xs.map(Math.fround);

describe('Minari space serialisation', () => {
  it('writes Discrete and Box the way minari.serialization does (float32 bounds, Python float tokens)', () => {
    expect(serializeSpace(getEnv('CartPole-v1').actionSpace)).toBe('{"type": "Discrete", "dtype": "int64", "start": 0, "n": 2}');
    expect(serializeSpace({ kind: 'box', size: 4, low: [-4.8, -Infinity, 0, 1e-5], high: [4.8, Infinity, 2, 1e20], names: [] })).toBe(
      '{"type": "Box", "dtype": "float32", "shape": [4], "low": [-4.800000190734863, -Infinity, 0.0, 9.999999747378752e-06], ' +
        '"high": [4.800000190734863, Infinity, 2.0, 1.0000000200408773e+20]}',
    );
  });
});

describe('episode shape checks', () => {
  const spaces = { observation: { kind: 'box' as const, size: 2, low: [0, 0], high: [1, 1], names: ['a', 'b'] }, action: getEnv('CartPole-v1').actionSpace };
  const ep = (): MinariEpisode => ({
    seed: 3,
    observations: [[0, 1], [2, 3], [4, 5]],
    actions: [0, 1],
    rewards: [1, 1],
    terminations: [false, true],
    truncations: [false, false],
    extra: { ids: { dtype: 'int64', values: [7, 8] } },
  });

  it('accepts T actions with T + 1 observations and names the sizes otherwise', () => {
    expect(() => checkEpisode(ep(), spaces, 0)).not.toThrow();
    expect(() => checkEpisode({ ...ep(), observations: [[0, 1], [2, 3]] }, spaces, 4)).toThrow('minari: episode 4: 2 actions need 3 observations, got 2');
    expect(() => checkEpisode({ ...ep(), observations: [[0, 1], [2, 3], [4]] }, spaces, 0)).toThrow(/observation 2 has 1 values; the observation space has 2/);
    expect(() => checkEpisode({ ...ep(), actions: [0, [1]] }, spaces, 0)).toThrow(/action 1 \(\[1\]\) does not fit the Discrete\(2\)/);
    expect(() => checkEpisode({ ...ep(), actions: [0, 2] }, spaces, 0)).toThrow(/action 1 \(2\) does not fit the Discrete\(2\)/);
    expect(() => checkEpisode({ ...ep(), rewards: [1] }, spaces, 0)).toThrow(/rewards has 1 entries, expected 2/);
    expect(() => checkEpisode({ ...ep(), extra: { rewards: { dtype: 'float64', values: [0, 0] } } }, spaces, 0)).toThrow(/rewards is one of Minari's own datasets/);
    expect(() => checkEpisode({ ...ep(), extra: { ids: { dtype: 'int64', values: [7, 8.5] } } }, spaces, 0)).toThrow(/ids must hold integers/);
  });

  it('refuses to write an episode that fails them', async () => {
    await expect(encodeMinariHdf5([{ ...ep(), actions: [], rewards: [], terminations: [], truncations: [], extra: {}, observations: [[0, 1]] }], spaces)).rejects.toThrow(/has no steps/);
  });
});

describe('an empty dataset', () => {
  it('is a valid Minari dataset with no episodes', async () => {
    const spaces = { observation: getEnv('CartPole-v1').observationSpace, action: getEnv('CartPole-v1').actionSpace };
    const files = readStoredZip(await encodeMinariZip({ datasetId: 'dagger-studio/empty-v0', episodes: [], spaces }));
    expect(JSON.parse(files.get('data/metadata.json')!.toString())).toMatchObject({ total_episodes: 0, total_steps: 0 });
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'minari-empty-')), 'main_data.hdf5');
    fs.writeFileSync(file, files.get('data/main_data.hdf5')!);
    await ready;
    const h5 = new File(file, 'r');
    expect(h5.keys()).toEqual([]);
    h5.close();
    fs.rmSync(path.dirname(file), { recursive: true });
    await expect(encodeMinariZip({ datasetId: 'no version', episodes: [], spaces })).rejects.toThrow(/not of the form \(namespace\/\)name-v\(version\)/);
  });
});

describe('grouping dataset items into episodes', () => {
  const row = (id: number, rolloutId: number | null, t: number | null, round = 0, source: 'demonstration' | 'dagger' | 'import' = 'import') => ({
    id,
    round,
    source,
    obs: [id, 0],
    action: id % 2,
    agreement: 1,
    labelCount: 0,
    labelIds: [],
    rolloutId,
    t,
    excluded: false,
  });

  it('orders a rollout by t, keeps rollout-less items apart per round and source, and takes the next observation when recorded', () => {
    const ro: EpisodeSource = {
      seed: 42,
      length: 5,
      truncated: true,
      steps: [0, 1, 2, 3, 4].map((t) => ({ reward: t / 10, terminated: false })),
      observations: [0, 1, 2, 3, 4].map((t) => [100 + t, 0]),
    };
    const eps = minariEpisodes([row(1, 9, 3), row(2, null, null), row(3, 9, 1), row(4, null, null, 1), row(5, null, null), row(6, 8, 4)], new Map([[9, ro], [8, ro]]));
    expect(eps.map((e) => e.extra.ids!.values)).toEqual([[3, 1], [2, 5], [4], [6]]);
    expect(eps[0]).toMatchObject({ seed: 42, observations: [[3, 0], [1, 0], [104, 0]], rewards: [0.1, 0.3], truncations: [false, false], attrs: { rollout_id: 9, final_observation_repeated: 0 } });
    expect(eps[0]!.extra.timesteps!.values).toEqual([1, 3]);
    expect(eps[1]).toMatchObject({ seed: null, observations: [[2, 0], [5, 0], [5, 0]], rewards: [0, 0], attrs: { final_observation_repeated: 1 } });
    expect(eps[1]!.extra.timesteps!.values).toEqual([-1, -1]);
    expect(eps[1]!.attrs).not.toHaveProperty('rollout_id');
    // Step 4 is the rollout's last (truncated) step: no recorded next observation, so the last one repeats.
    expect(eps[3]).toMatchObject({ observations: [[6, 0], [6, 0]], truncations: [true], attrs: { rollout_id: 8, final_observation_repeated: 1 } });
  });
});

describe('Minari export of a real project', () => {
  let fx: ExportFixture;
  let dir: string;
  beforeAll(async () => {
    fx = await makeExportFixture();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minari-test-'));
    await ready;
  });
  afterAll(() => {
    fx?.rt.cleanup();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function open(projectId: number) {
    const files = readStoredZip(await exportMinari(fx.rt.db, projectId));
    expect([...files.keys()]).toEqual(['data/main_data.hdf5', 'data/metadata.json']);
    const file = path.join(dir, `p${projectId}.hdf5`);
    fs.writeFileSync(file, files.get('data/main_data.hdf5')!);
    return { h5: new File(file, 'r'), metadata: JSON.parse(files.get('data/metadata.json')!.toString('utf8')) as Record<string, unknown> };
  }

  it.each(['discrete', 'box'] as const)('holds every included %s item once, by episode, as the tables say', async (which) => {
    const projectId = fx[which];
    const expected = expectedEpisodes(fx.rt, projectId);
    const { h5, metadata } = await open(projectId);
    try {
      const totalSteps = expected.reduce((n, e) => n + e.items.length, 0);
      expect(metadata).toMatchObject({ dataset_id: `dagger-studio/project-${projectId}-v0`, total_episodes: expected.length, total_steps: totalSteps, data_format: 'hdf5', minari_version: '0.5.0' });
      expect(h5.keys()).toEqual(expected.map((_, i) => `episode_${i}`));
      const allIds: number[] = [];
      expected.forEach((e, i) => {
        const g = h5.get(`episode_${i}`) as import('h5wasm/node').Group;
        const T = e.items.length;
        const attr = (k: string) => g.attrs[k]?.json_value;
        expect(attr('id')).toBe(i);
        expect(attr('total_steps')).toBe(T);
        expect(attr('seed')).toBe(e.seed ?? undefined);
        expect(attr('rollout_id')).toBe(e.rolloutId ?? undefined);
        expect(attr('final_observation_repeated')).toBe(e.next ? 0 : 1);
        expect(g.keys().sort()).toEqual(['actions', 'agreement', 'ids', 'infos', 'label_counts', 'observations', 'rewards', 'rounds', 'sources', 'terminations', 'timesteps', 'truncations']);
        expect((g.get('infos') as import('h5wasm/node').Group).keys()).toEqual([]);
        const ds = (k: string) => g.get(k) as import('h5wasm/node').Dataset;
        const obs = ds('observations');
        expect(obs.shape).toEqual([T + 1, e.items[0]!.obs.length]);
        expect(obs.dtype).toBe('<f');
        const rows = [...e.items.map((it) => it.obs), e.next ?? e.items.at(-1)!.obs];
        expect(Array.from(obs.value as Float32Array)).toEqual(f32(rows.flat()));
        const actions = ds('actions');
        if (which === 'discrete') {
          expect([actions.dtype, actions.shape]).toEqual(['<q', [T]]);
          expect(Array.from(actions.value as BigInt64Array, Number)).toEqual(e.items.map((it) => it.action));
        } else {
          expect([actions.dtype, actions.shape]).toEqual(['<f', [T, 2]]);
          expect(Array.from(actions.value as Float32Array)).toEqual(f32(e.items.flatMap((it) => it.action as number[])));
        }
        expect(Array.from(ds('rewards').value as Float64Array)).toEqual(e.rewards);
        expect(Array.from(ds('terminations').value as Uint8Array, Boolean)).toEqual(e.terminations);
        expect(Array.from(ds('truncations').value as Uint8Array, Boolean)).toEqual(e.truncations);
        expect(Array.from(ds('ids').value as BigInt64Array, Number)).toEqual(e.items.map((it) => it.id));
        expect(Array.from(ds('rounds').value as BigInt64Array, Number)).toEqual(e.items.map((it) => it.roundIndex));
        expect(ds('sources').json_value).toEqual(e.items.map((it) => it.source));
        expect(Array.from(ds('agreement').value as Float64Array)).toEqual(e.items.map((it) => it.agreement));
        expect(Array.from(ds('label_counts').value as BigInt64Array, Number)).toEqual(e.items.map((it) => it.labelCount));
        expect(Array.from(ds('timesteps').value as BigInt64Array, Number)).toEqual(e.items.map((it) => it.t));
        allIds.push(...e.items.map((it) => it.id));
      });
      expect(new Set(allIds).size).toBe(totalSteps);
      for (const id of fx.excludedIds) expect(allIds).not.toContain(id);
    } finally {
      h5.close();
    }
  });

  it('covers the cases the layout has to handle in the discrete project', () => {
    const eps = expectedEpisodes(fx.rt, fx.discrete);
    const sources = (e: (typeof eps)[number]) => new Set(e.items.map((it) => it.source));
    // Demonstrations end at the rollout's last step (repeated observation); learner rollouts are labelled
    // at a stride, so most have a recorded observation after the last labelled state.
    expect(eps.filter((e) => sources(e).has('demonstration')).length).toBe(2);
    expect(eps.some((e) => sources(e).has('demonstration') && e.next === null)).toBe(true);
    expect(eps.some((e) => sources(e).has('dagger') && e.next !== null)).toBe(true);
    // The relabelled state: one rollout holds items of rounds 1 and 2.
    expect(eps.some((e) => new Set(e.items.map((it) => it.roundIndex)).size === 2)).toBe(true);
    expect(eps.some((e) => e.items.some((it) => it.labelCount >= 2 && it.agreement < 1))).toBe(true);
    expect(eps.some((e) => e.terminations.includes(true) || e.truncations.includes(true))).toBe(true);
  });

  it('states the spaces, grouping and final-observation rule in metadata.json', async () => {
    const { h5, metadata } = await open(fx.box);
    h5.close();
    expect(metadata.observation_space).toBe('{"type": "Box", "dtype": "float32", "shape": [3], "low": [-Infinity, -Infinity, -Infinity], "high": [Infinity, Infinity, Infinity]}');
    expect(metadata.action_space).toBe('{"type": "Box", "dtype": "float32", "shape": [2], "low": [-1.0, -2.0], "high": [1.0, 2.0]}');
    expect(metadata.dagger_studio).toMatchObject({ project_id: fx.box, env_id: null, final_observation: expect.stringMatching(/repeated/) });
    expect(metadata.description).toMatch(/expert or consensus action/);
    expect(typeof metadata.dataset_size).toBe('number');
  });

  it('is served by the download route as a zip; an unknown format gets a 400 naming every format', async () => {
    const g = globalThis as { __daggerRuntime?: Runtime };
    const before = g.__daggerRuntime;
    g.__daggerRuntime = fx.rt;
    try {
      const signIn = await fx.rt.auth.api.signInEmail({ body: { email: fx.researcher.email, password: 'password123' }, asResponse: true });
      const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0]!;
      const get = (format: string, headers: Record<string, string> = { cookie }) =>
        GET(new Request(`http://localhost:3999/api/projects/${fx.box}/dataset?format=${format}`, { headers }), { params: Promise.resolve({ projectId: String(fx.box) }) });
      const res = await get('minari');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/zip');
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename="project-${fx.box}-dataset-minari.zip"`);
      expect([...readStoredZip(Buffer.from(await res.arrayBuffer())).keys()]).toEqual(['data/main_data.hdf5', 'data/metadata.json']);
      const bad = await get('csv');
      expect(bad.status).toBe(400);
      expect(await bad.json()).toEqual({ error: 'Unknown format csv: use jsonl, npz or minari' });
      expect((await get('minari', {})).status).toBe(401);
    } finally {
      g.__daggerRuntime = before;
    }
  });
});
