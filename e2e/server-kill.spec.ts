/**
 * Reliability under load: labelers claim and submit over HTTP while the server process is killed (SIGKILL)
 * and restarted; afterwards every acknowledged label is in the database exactly once, and no state is
 * stuck (a fresh labeler can still claim the round's remaining states once leases expire).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { Http, runLabelers, startServer, verifyLabels, type ServerHandle } from '../bench/load-lib';

test.setTimeout(240_000);

test('killing the server mid-load loses and duplicates no acknowledged label', async () => {
  const root = process.cwd();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dagger-kill-'));
  const port = 3330;
  const env = { DATA_DIR: dataDir, ADMIN_EMAIL: 'admin@kill.local', ADMIN_PASSWORD: 'kill-admin-password', SIGNIN_RATE_LIMIT: '1000', JOB_LEASE_MS: '3000' };
  let server: ServerHandle = await startServer(root, env, port);
  try {
    const api = new Http(server.base);
    await api.signIn(env.ADMIN_EMAIL, env.ADMIN_PASSWORD);
    const { id: projectId } = await api.call<{ id: number }>('project.create', {
      name: 'kill test',
      envId: 'CartPole-v1',
      config: { selection: { strategy: 'all' }, rolloutEpisodes: 4, leaseSeconds: 10, goldRate: 0, policy: { hidden: [16], epochs: 10 }, evaluation: { episodes: 1, seed: 1 } },
    });
    await api.call('round.demonstrate', { projectId, episodes: 1, thenTrain: true });
    await expect.poll(async () => (await api.call<{ rounds: { phase: string }[] }>('project.get', { projectId }, 'query')).rounds[0]?.phase, { timeout: 60_000 }).toBe('done');
    await api.call('round.start', { projectId });
    await expect.poll(async () => (await api.call<{ rounds: { phase: string }[] }>('project.get', { projectId }, 'query')).rounds[1]?.phase, { timeout: 60_000 }).toBe('labeling');
    const labelers = [];
    for (let i = 0; i < 8; i++) {
      const email = `l${i}@kill.local`;
      await api.call('user.create', { email, name: `L${i}`, password: 'labeler-password', role: 'labeler' });
      await api.call('project.addMember', { projectId, email, role: 'labeler' });
      labelers.push({ email, password: 'labeler-password' });
    }
    const t0 = Date.now();
    const killer = (async () => {
      await new Promise((r) => setTimeout(r, 4000));
      await server.stop('SIGKILL');
      server = await startServer(root, env, port);
    })();
    const stats = await runLabelers(server.base, labelers, { until: () => Date.now() - t0 > 14_000, action: () => 0 });
    await killer;
    expect(stats.errors).toEqual([]);
    expect(stats.acks.length).toBeGreaterThan(20);
    expect(stats.connectionErrors).toBeGreaterThan(0); // the kill really happened under load
    await server.stop('SIGTERM');
    const check = verifyLabels(path.join(dataDir, 'dagger-studio.sqlite'), stats.acks);
    console.log(`[server kill] ${JSON.stringify(check)}`);
    expect(check).toMatchObject({ missing: 0, duplicated: 0, wrongId: 0 });
    // Nothing stuck: after the leases expire, another labeler gets the states left unanswered.
    server = await startServer(root, env, port);
    const late = new Http(server.base);
    await late.signIn('l0@kill.local', 'labeler-password');
    const open = (await api.call<{ rounds: { queries: number; resolved: number }[] }>('project.get', { projectId }, 'query').catch(() => null)) ?? null;
    void open;
    const fresh = new Http(server.base);
    await fresh.signIn(env.ADMIN_EMAIL, env.ADMIN_PASSWORD);
    const p = await fresh.call<{ rounds: { queries: number; resolved: number }[] }>('project.get', { projectId }, 'query');
    if (p.rounds[1]!.resolved < p.rounds[1]!.queries) {
      await fresh.call('user.create', { email: 'newcomer@kill.local', name: 'N', password: 'labeler-password', role: 'labeler' });
      await fresh.call('project.addMember', { projectId, email: 'newcomer@kill.local', role: 'labeler' });
      const newcomer = new Http(server.base);
      await newcomer.signIn('newcomer@kill.local', 'labeler-password');
      expect(await newcomer.call('task.next', {})).not.toBeNull();
    }
  } finally {
    await server.stop('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
