/**
 * The Python client (examples/external_client.py, standard library only) against a running server: an
 * external CartPole-like project trains π₁ from demonstrations, the client downloads it, runs it in its own
 * CartPole and posts the rollouts; they are stored as this repo's CartPole and onnxruntime would have produced
 * them, and their states are queued. A second run with the cached ETag gets 304. A bad token exits 1 with
 * the server's 401 message. A v1 POST body over the size limit gets 413 and stores nothing.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import Database from 'better-sqlite3';
import { Http } from '../bench/load-lib';
import { getEnv } from '../envs/registry';
import { StudioClient } from '../examples/external-client';
import { loadPolicy } from '../models/infer';
import { MAX_BODY_BYTES } from '../server/api/v1';
import { E2E_ADMIN } from './constants';

test.setTimeout(300_000);

const SCRIPT = path.join(process.cwd(), 'examples', 'external_client.py');
const cartpole = getEnv('CartPole-v1');

type Rounds = { rounds: { id: number; phase: string; queries: number; newItems: number }[] };

/** An external project (declared spaces, no built-in env) and a token for it. */
async function externalProject(api: Http, name: string) {
  const { id: projectId } = await api.call<{ id: number }>('project.create', {
    name,
    config: {
      spaces: { observation: { size: 4 }, action: { kind: 'discrete', n: 2, names: ['left', 'right'] } },
      selection: { strategy: 'stride', k: 10, budget: 40 },
      goldRate: 0,
      policy: { hidden: [32], epochs: 30 },
    },
  });
  const { token } = await api.call<{ token: string }>('token.create', { projectId, name: 'python-rig' });
  return { projectId, token };
}

/** An expert CartPole episode in the API's layout (T actions, T+1 observations). */
function expertEpisode(seed: number, steps: number) {
  let s = cartpole.reset(seed);
  const observations: number[][] = [];
  const actions: number[] = [];
  for (let t = 0; t < steps; t++) {
    observations.push(Array.from(cartpole.observe(s)));
    const a = cartpole.expert(s) as number;
    actions.push(a);
    s = cartpole.step(s, a).state;
  }
  observations.push(Array.from(cartpole.observe(s)));
  return { observations, actions, seed };
}

function openDb() {
  const dir = process.env.E2E_DATA_DIR;
  if (!dir) throw new Error('E2E_DATA_DIR is not set (playwright.config.ts sets it)');
  return new Database(path.join(dir, 'dagger-studio.sqlite'), { readonly: true, fileMustExist: true });
}

function python(args: string[]) {
  const r = spawnSync('python3', [SCRIPT, ...args], { encoding: 'utf8', timeout: 120_000 });
  if (r.error) throw r.error;
  return r;
}

test('the Python client pulls π₁, posts rollouts that are stored and queued, and gets 304 while unchanged', async ({ baseURL }) => {
  const api = new Http(baseURL!);
  await api.signIn(E2E_ADMIN.email, E2E_ADMIN.password);
  const { projectId, token } = await externalProject(api, 'Python CartPole rig');
  const rounds = async () => (await api.call<Rounds>('project.get', { projectId }, 'query')).rounds;

  // Round 0: demonstrations over HTTP, then behaviour cloning deploys π₁.
  const rig = new StudioClient(baseURL!, projectId, token);
  for (const seed of [1, 2, 3]) await rig.post('demonstrations', expertEpisode(seed, 200));
  await api.call('round.close', { projectId, roundId: (await rounds())[0]!.id });
  await expect.poll(async () => (await rounds())[0]?.phase, { timeout: 90_000 }).toBe('done');
  await api.call('round.start', { projectId });
  const round1 = (await rounds())[1]!;
  expect(round1.queries).toBe(0);

  // A bad token: exit 1 with the server's 401 message, nothing stored.
  const bad = python(['--url', baseURL!, '--project', String(projectId), '--token', 'dst_not-a-real-token', '--episodes', '1']);
  expect(bad.status).toBe(1);
  expect(bad.stderr).toContain('error: GET policy: 401 Invalid or revoked API token');

  // First run: downloads π₁, then (same run, before episode 1) gets 304 for it; posts two episodes.
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'pyclient-cache-'));
  const common = ['--url', baseURL!, '--project', String(projectId), '--token', token, '--cache', cache];
  const first = python([...common, '--episodes', '2', '--seed', '0', '--max-steps', '500']);
  console.log(`python client, first run:\n${first.stdout}`);
  expect(first.stderr).toBe('');
  expect(first.status).toBe(0);
  const lines = first.stdout.trim().split('\n');
  expect(lines[0]).toMatch(/^policy v1 downloaded \(ETag "[0-9a-f]{64}"\)$/);
  expect(lines[2]).toMatch(/^policy unchanged \(304\): still v1/);
  const episodes = lines
    .filter((l) => l.startsWith('episode '))
    .map((l) => {
      const m = /^episode (\d+): seed (\d+), (\d+) steps, return (\d+), (terminated|truncated) -> rollout (\d+) \(round 1, (\d+) states queued\)$/.exec(l);
      if (!m) throw new Error(`unexpected client output: ${l}`);
      return { seed: Number(m[2]), steps: Number(m[3]), rolloutId: Number(m[6]), queries: Number(m[7]) };
    });
  expect(episodes.map((e) => e.seed)).toEqual([0, 1]);
  expect(episodes.every((e) => e.queries > 0)).toBe(true);
  const etag = /ETag ("[0-9a-f]{64}")/.exec(lines[0]!)![1];
  expect(JSON.parse(fs.readFileSync(path.join(cache, 'policy.json'), 'utf8'))).toEqual({ etag, version: 1 });

  // The states are queued in round 1 …
  expect((await rounds())[1]!.queries).toBe(episodes.reduce((a, e) => a + e.queries, 0));
  // … and the rollouts are stored as posted: this repo's CartPole replays them, ORT's π₁ picks the same actions.
  const res = await fetch(`${baseURL}/api/v1/projects/${projectId}/policy`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.headers.get('etag')).toBe(etag);
  const policy = await loadPolicy(new Uint8Array(await res.arrayBuffer()));
  const db = openDb();
  try {
    const stored = db.prepare('select id, kind, seed, length, terminated, truncated, steps, observations from rollout where round_id = ? order by id').all(round1.id) as {
      id: number;
      kind: string;
      seed: number;
      length: number;
      terminated: number;
      truncated: number;
      steps: string;
      observations: string;
    }[];
    expect(stored.map((r) => [r.id, r.kind, r.seed, r.length])).toEqual(episodes.map((e) => [e.rolloutId, 'external', e.seed, e.steps]));
    for (const r of stored) {
      const actions = (JSON.parse(r.steps) as { action: number }[]).map((s) => s.action);
      const observations = JSON.parse(r.observations) as number[][];
      let s = cartpole.reset(r.seed);
      for (let t = 0; t < r.length; t++) {
        const o = Array.from(cartpole.observe(s));
        observations[t]!.forEach((v, j) => expect(Math.abs(v - o[j]!), `rollout ${r.id} t=${t} obs[${j}]`).toBeLessThan(1e-6));
        expect(actions[t], `rollout ${r.id} t=${t}: ORT's action`).toBe((await policy.actOne(observations[t]!, { mode: 'deterministic' })).action);
        const step = cartpole.step(s, actions[t]!);
        expect(step.terminated).toBe(t === r.length - 1 && r.terminated === 1);
        s = step.state;
      }
      expect(r.terminated + r.truncated).toBe(1);
    }
  } finally {
    db.close();
    await policy.release();
  }

  // Second run with the cached ETag: 304, no download; its episode is stored too.
  const second = python([...common, '--episodes', '1', '--seed', '10']);
  console.log(`python client, second run:\n${second.stdout}`);
  expect(second.status).toBe(0);
  expect(second.stdout).toContain(`policy unchanged (304): still v1 (ETag ${etag})`);
  expect(second.stdout).not.toContain('downloaded');
  expect(second.stdout).toMatch(/^episode 0: seed 10, \d+ steps/m);
  const db2 = openDb();
  try {
    expect(db2.prepare("select count(*) as n from rollout where round_id = ? and kind = 'external'").get(round1.id)).toEqual({ n: 3 });
  } finally {
    db2.close();
  }
  fs.rmSync(cache, { recursive: true, force: true });
});

test('a v1 POST body over the size limit gets 413 and nothing is stored', async ({ baseURL }) => {
  const api = new Http(baseURL!);
  await api.signIn(E2E_ADMIN.email, E2E_ADMIN.password);
  const { projectId, token } = await externalProject(api, 'Oversized bodies');
  const rounds = async () => (await api.call<Rounds>('project.get', { projectId }, 'query')).rounds;
  const storedRows = () => {
    const db = openDb();
    try {
      return db.prepare('select (select count(*) from rollout where project_id = ?) as rollouts, (select count(*) from dataset_item where project_id = ?) as items').get(projectId, projectId);
    } finally {
      db.close();
    }
  };

  // A valid demonstration, padded with JSON whitespace to one byte over the limit: only its size is wrong.
  const valid = JSON.stringify(expertEpisode(4, 50));
  const oversized = valid + ' '.repeat(MAX_BODY_BYTES + 1 - valid.length);
  expect(Buffer.byteLength(oversized)).toBe(MAX_BODY_BYTES + 1);
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const post = (kind: string, body: BodyInit, extra: RequestInit = {}) => fetch(`${baseURL}/api/v1/projects/${projectId}/${kind}`, { method: 'POST', headers, body, ...extra });

  for (const kind of ['demonstrations', 'rollouts']) {
    // With a Content-Length (refused before the body is read) …
    const declared = await post(kind, oversized);
    expect(declared.status, `${kind} with Content-Length`).toBe(413);
    expect(((await declared.json()) as { error: string }).error).toBe(`Body too large (${MAX_BODY_BYTES + 1} bytes; limit ${MAX_BODY_BYTES})`);
    // … and streamed without one (chunked: the server counts what it reads).
    const bytes = Buffer.from(oversized);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 4_000_000) controller.enqueue(bytes.subarray(i, i + 4_000_000));
        controller.close();
      },
    });
    const chunked = await post(kind, stream, { duplex: 'half' } as RequestInit);
    expect(chunked.status, `${kind} chunked`).toBe(413);
    expect(((await chunked.json()) as { error: string }).error).toBe(`Body too large (limit ${MAX_BODY_BYTES} bytes)`);
  }
  expect(storedRows()).toEqual({ rollouts: 0, items: 0 });
  expect((await rounds())[0]!.newItems).toBe(0);

  // The same demonstration without the padding is accepted: the 413s were about size alone.
  const ok = await post('demonstrations', valid);
  expect(ok.status).toBe(201);
  expect((await rounds())[0]!.newItems).toBe(50);
  expect(storedRows()).toMatchObject({ items: 50 });
});
