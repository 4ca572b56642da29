/**
 * The Node tRPC handler answers plain JSON calls itself; these tests send the same requests to it and to
 * tRPC's own standalone adapter (on the same router and database) and expect the same status and body.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { label, query, task } from '@/db/schema';
import type { SessionUser } from '../auth';
import { labelingProject, makeTestRuntime, makeUser, type TestRuntime } from '../test-utils';
import { createTrpcNodeHandler, nodeHeaders, TRPC_BASE_PATH, TRPC_MAX_BATCH } from './node-handler';
import { appRouter } from './root';
import { createContext } from './trpc';

let rt: TestRuntime;
let ours: http.Server;
let theirs: http.Server;
let researcherCookie: string;
let labelerCookie: string;
let strangerCookie: string;
let labeler: SessionUser;
let projectId: number;

const listen = (handler: http.RequestListener) =>
  new Promise<http.Server>((resolve) => {
    const s = http.createServer(handler);
    s.listen(0, '127.0.0.1', () => resolve(s));
  });
const base = (s: http.Server) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`;

async function cookieOf(email: string): Promise<string> {
  const res = await rt.auth.api.signInEmail({ body: { email, password: 'password123' }, asResponse: true });
  return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
}

async function send(server: http.Server, path: string, init: RequestInit = {}) {
  const res = await fetch(`${base(server)}${TRPC_BASE_PATH}${path}`, init);
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body, type: res.headers.get('content-type') };
}

/** The same request to both servers: equal status and body. */
async function same(path: string, init: RequestInit = {}) {
  const [a, b] = await Promise.all([send(ours, path, init), send(theirs, path, init)]);
  expect(a.status, `status of ${path}`).toBe(b.status);
  expect(a.body, `body of ${path}`).toEqual(b.body);
  expect(a.type).toMatch(/application\/json/);
  return a;
}

const json = (input: unknown) => JSON.stringify({ json: input });
const batch = (...inputs: unknown[]) => JSON.stringify(Object.fromEntries(inputs.map((x, i) => [i, { json: x }])));
const post = (cookie: string, body: string, extra: Record<string, string> = {}): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json', cookie, ...extra }, body });

beforeAll(async () => {
  rt = makeTestRuntime();
  labeler = await makeUser(rt, 'labeler', 'conformance-l');
  let researcher: SessionUser;
  ({ projectId, researcher } = await labelingProject(rt, {
    name: 'conformance',
    config: { selection: { strategy: 'stride', k: 2, budget: 12 }, rolloutEpisodes: 3, goldRate: 0, policy: { hidden: [16], epochs: 5 }, evaluation: { episodes: 1, seed: 1 } },
    labelers: [labeler],
  }));
  researcherCookie = await cookieOf(researcher.email);
  labelerCookie = await cookieOf(labeler.email);
  strangerCookie = await cookieOf((await makeUser(rt, 'labeler', 'conformance-stranger')).email);
  ours = await listen(createTrpcNodeHandler(rt));
  theirs = await listen(createHTTPHandler({ router: appRouter, basePath: TRPC_BASE_PATH, maxBatchSize: TRPC_MAX_BATCH, createContext: ({ req }) => createContext(rt, nodeHeaders(req.headers)) }));
});
afterAll(() => {
  ours?.close();
  theirs?.close();
  rt.cleanup();
});

describe('the Node tRPC handler answers as tRPC does', () => {
  it('queries: single, batched, with input, anonymous', async () => {
    await same('user.me');
    await same('user.me', { headers: { cookie: researcherCookie } });
    const r = await same(`project.get?input=${encodeURIComponent(json({ projectId }))}`, { headers: { cookie: researcherCookie } });
    expect(r.status).toBe(200);
    const b = await same(`user.whoami,project.list?batch=1&input=${encodeURIComponent(batch(undefined, undefined))}`, { headers: { cookie: researcherCookie } });
    expect(Array.isArray(b.body)).toBe(true);
  });

  it('errors: unknown procedures, wrong methods, bad input, roles, anonymous callers, mixed batches', async () => {
    expect((await same('nope.nothing')).status).toBe(404);
    expect((await same('user.me,nope.nothing?batch=1')).status).toBe(207);
    expect((await same('task.next', { headers: { cookie: labelerCookie } })).status).toBe(405);
    expect((await same('project.list', post(researcherCookie, ''))).status).toBe(405);
    expect((await same(`project.get?input=${encodeURIComponent(json({ projectId: -1 }))}`, { headers: { cookie: researcherCookie } })).status).toBe(400);
    expect((await same(`project.get?input=${encodeURIComponent(json({ projectId }))}`, { headers: { cookie: labelerCookie } })).status).toBe(403);
    expect((await same(`project.get?input=${encodeURIComponent(json({ projectId }))}`)).status).toBe(401);
    expect((await same('user.me,task.next?batch=1', post(labelerCookie, batch(undefined, {})))).status).toBe(400);
    expect((await same('task.next?batch=1', post(labelerCookie, JSON.stringify([1])))).status).toBe(400);
    // A cross-origin mutation is refused by the same-origin middleware, in both.
    expect((await same('task.next', post(labelerCookie, json({}), { origin: 'http://evil.example' }))).status).toBe(403);
  });

  it('mutations: a refused label writes nothing; a batched submit + claim answers like tRPC', async () => {
    const before = rt.db.select().from(label).all().length;
    const bad = { taskId: 1, clientId: 'conformance-bad', action: 7, timeMs: 1 };
    expect((await same('label.submit', post(labelerCookie, json(bad)))).status).toBe(404);
    expect((await same('label.submit', post(labelerCookie, json({ ...bad, action: 'left' })))).status).toBe(400);
    expect(rt.db.select().from(label).all().length).toBe(before);

    // Writes cannot be sent twice, so each server labels its own task and the answers are compared by shape.
    const claimAt = async (s: http.Server) => ((await send(s, 'task.next', post(labelerCookie, json({})))).body as { result: { data: { json: { taskId: number } } } }).result.data.json;
    for (const s of [ours, theirs]) {
      const t = await claimAt(s);
      const r = await send(s, 'label.submit,task.next?batch=1', post(labelerCookie, batch({ taskId: t.taskId, clientId: `conformance-${t.taskId}`, action: 0, timeMs: 5 }, {})));
      expect(r.status).toBe(200);
      const [sub, next] = r.body as { result: { data: { json: Record<string, unknown> } } }[];
      expect(sub!.result.data.json).toMatchObject({ duplicate: false, labelId: expect.any(Number) });
      expect(Object.keys(next!.result.data.json).sort()).toEqual(['envId', 'frameUrl', 'leaseExpiresAt', 'obs', 'policyAction', 'projectId', 'projectName', 'queryId', 'rolloutId', 'roundIndex', 'state', 't', 'taskId']);
    }
    expect(rt.db.select().from(label).all().length).toBe(before + 2);

    // A procedure that returns nothing (skip) answers with the same body in both.
    const skipped: unknown[] = [];
    for (const s of [ours, theirs]) {
      const t = await claimAt(s);
      const r = await send(s, 'task.skip', post(labelerCookie, json({ taskId: t.taskId })));
      expect(r.status).toBe(200);
      skipped.push(r.body);
    }
    expect(skipped[0]).toEqual(skipped[1]);
    expect(skipped[0]).toMatchObject({ result: { data: {} } });

    // A rollout's replay is a frozen object the Node handler serialises once: the same answer every time.
    const rolloutId = (rt.db.select().from(task).where(eq(task.labelerId, labeler.id)).all().map((t) => rt.db.select().from(query).where(eq(query.id, t.queryId)).get()!.rolloutId)[0])!;
    const path = `task.rollout?batch=1&input=${encodeURIComponent(batch({ rolloutId }))}`;
    const first = await same(path, { headers: { cookie: labelerCookie } });
    expect((first.body as { result: { data: { json: { states: unknown[] } } } }[])[0]!.result.data.json.states.length).toBeGreaterThan(1);
    expect((await same(path, { headers: { cookie: labelerCookie } })).body).toEqual(first.body);
    // …and only to a labeler who was given one of its states.
    expect((await same(`task.rollout?input=${encodeURIComponent(json({ rolloutId }))}`, { headers: { cookie: strangerCookie } })).status).toBe(404);
  });

  it('refuses what tRPC cannot parse or what is too big, with a 4xx and nothing written', async () => {
    const before = rt.db.select().from(label).all().length;
    const broken = await send(ours, 'label.submit', post(labelerCookie, '{"json": {"taskId": 1,'));
    expect(broken.status).toBe(400);
    expect(broken.body).toMatchObject({ error: { json: { data: { code: 'PARSE_ERROR' } } } });
    const garbled = await send(ours, 'label.submit', post(labelerCookie, JSON.stringify({ json: { taskId: 1 }, meta: { values: { taskId: ['no-such-type'] } } })));
    expect(garbled.status).toBe(400);
    expect(garbled.body).toMatchObject({ error: { json: { data: { code: 'BAD_REQUEST' } } } });
    const tooMany = Array.from({ length: TRPC_MAX_BATCH + 1 }, () => 'user.me').join(',');
    expect((await same(`${tooMany}?batch=1`)).status).toBe(400);
    // Chunked (no Content-Length) and over the limit: cut off while reading.
    const big = await send(ours, 'label.submit', { ...post(labelerCookie, ''), body: new Blob(['{"json":"', 'x'.repeat(1_100_000), '"}']).stream(), duplex: 'half' } as RequestInit);
    expect(big.status).toBe(413);
    expect(rt.db.select().from(label).all().length).toBe(before);
  });
});
