/**
 * The external-simulator protocol against a running server: an external project (spaces declared, no
 * built-in environment) gets demonstrations and rollouts over HTTP from the TypeScript client, the states are
 * labelled, the policy is retrained, and the client downloads the new version (the ETag changes). Bad tokens
 * and malformed rollouts are refused with 4xx and nothing stored.
 */
import { expect, test } from '@playwright/test';
import { Http } from '../bench/load-lib';
import { getEnv } from '../envs/registry';
import { StudioClient } from '../examples/external-client';
import { E2E_ADMIN } from './constants';

test.setTimeout(180_000);

test('an external simulator pulls the policy, posts rollouts, and gets the retrained version', async ({ baseURL }) => {
  const api = new Http(baseURL!);
  await api.signIn(E2E_ADMIN.email, E2E_ADMIN.password);
  const { id: projectId } = await api.call<{ id: number }>('project.create', {
    name: 'External CartPole rig',
    config: {
      spaces: { observation: { size: 4 }, action: { kind: 'discrete', n: 2, names: ['left', 'right'] } },
      selection: { strategy: 'stride', k: 10, budget: 40 },
      rolloutEpisodes: 2,
      goldRate: 0,
      policy: { hidden: [32], epochs: 30 },
    },
  });
  const { token } = await api.call<{ token: string }>('token.create', { projectId, name: 'rig-1' });
  const client = new StudioClient(baseURL!, projectId, token);
  const cartpole = getEnv('CartPole-v1');

  // Bad input first: nothing may be stored.
  const post = (body: unknown, auth = `Bearer ${token}`, id = projectId) =>
    fetch(`${baseURL}/api/v1/projects/${id}/demonstrations`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect((await post({ observations: [[0, 0, 0, 0]], actions: [0] }, 'Bearer wrong')).status).toBe(401);
  expect((await post({ observations: [[0, 0, 0]], actions: [0] })).status).toBe(400);
  expect((await post({ observations: [[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]], actions: [0] })).status).toBe(400);
  expect((await post({ observations: [[0, 0, 0, 0]], actions: [5] })).status).toBe(400);
  expect((await post({ observations: [[0, 0, 0, 0]], actions: [0], frames: [Buffer.from('not an image').toString('base64')] })).status).toBe(400);
  const other = await api.call<{ id: number }>('project.create', { name: 'other', config: { spaces: { observation: { size: 4 }, action: { kind: 'discrete', n: 2 } } } });
  expect((await post({ observations: [[0, 0, 0, 0]], actions: [0] }, `Bearer ${token}`, other.id)).status).toBe(403);
  // Oversized tRPC bodies are refused before they are read.
  const big = await fetch(`${baseURL}/api/trpc/label.submit`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ json: { pad: 'x'.repeat(1_100_000) } }) });
  expect(big.status).toBe(413);
  expect((await api.call<{ rounds: { newItems: number }[] }>('project.get', { projectId }, 'query')).rounds[0]!.newItems).toBe(0);

  // Round 0: expert demonstrations from the rig, then behaviour cloning.
  for (const seed of [1, 2]) {
    let s = cartpole.reset(seed);
    const observations: number[][] = [];
    const actions: number[] = [];
    for (let t = 0; t < 200; t++) {
      observations.push(Array.from(cartpole.observe(s)));
      const a = cartpole.expert(s) as number;
      actions.push(a);
      s = cartpole.step(s, a).state;
    }
    await client.post('demonstrations', { observations, actions, seed });
  }
  const round = async (i: number) => (await api.call<{ rounds: { id: number; phase: string; queries: number; resolved: number }[] }>('project.get', { projectId }, 'query')).rounds[i];
  await api.call('round.close', { projectId, roundId: (await round(0))!.id });
  await expect.poll(async () => (await round(0))?.phase, { timeout: 60_000 }).toBe('done');

  expect(await client.refreshPolicy()).toBe(true);
  const firstEtag = client.currentEtag;
  expect(client.version).toBe(1);
  expect(await client.refreshPolicy()).toBe(false); // 304 while unchanged

  // Round 1: the rig posts rollouts of π₁; their states become tasks.
  await api.call('round.start', { projectId });
  for (const seed of [10, 11]) {
    const r = await client.rollout('CartPole-v1', seed);
    const res = await client.post('rollouts', r);
    expect(res.queries).toBeGreaterThan(0);
  }
  // A labeler answers from the observation (the rig's expert, standing in for a person).
  await api.call('user.create', { email: 'rig-labeler@e2e.local', name: 'Rig labeler', password: 'labeler-password', role: 'labeler' });
  await api.call('project.addMember', { projectId, email: 'rig-labeler@e2e.local', role: 'labeler' });
  const labeler = new Http(baseURL!);
  await labeler.signIn('rig-labeler@e2e.local', 'labeler-password');
  for (let n = 0; ; n++) {
    const task = await labeler.call<{ taskId: number; obs: number[] } | null>('task.next', { projectId });
    if (!task) break;
    const label = { taskId: task.taskId, clientId: `rig-${n}-label`, action: cartpole.expert(task.obs), timeMs: 400 };
    // A script labels faster than a person: on the per-user rate limit (429) it waits and resends (idempotent).
    await labeler.call('label.submit', label).catch(async (e: Error & { status?: number }) => {
      if (e.status !== 429) throw e;
      await new Promise((r) => setTimeout(r, 1100));
      await labeler.call('label.submit', label);
    });
  }
  await expect.poll(async () => (await round(1))?.phase, { timeout: 90_000 }).toBe('done');

  expect(await client.refreshPolicy()).toBe(true);
  expect(client.version).toBe(2);
  expect(client.currentEtag).not.toBe(firstEtag);
  await client.close();
});
