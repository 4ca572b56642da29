import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callerFor, makeTestRuntime, makeUser, type TestRuntime } from '../test-utils';

let rt: TestRuntime;
beforeEach(() => {
  rt = makeTestRuntime();
});
afterEach(() => rt.cleanup());

describe('role checks', () => {
  it('refuses anonymous callers', async () => {
    await expect(callerFor(rt, null).user.whoami()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect(await callerFor(rt, null).user.me()).toBeNull();
  });

  it('lets only admins manage accounts', async () => {
    const admin = await makeUser(rt, 'admin');
    const labeler = await makeUser(rt, 'labeler');
    const researcher = await makeUser(rt, 'researcher');
    await expect(callerFor(rt, labeler).user.list()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(callerFor(rt, researcher).user.list()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const created = await callerFor(rt, admin).user.create({ email: 'New@Lab.org', name: 'New', password: 'longenough', role: 'researcher' });
    expect(created).toMatchObject({ email: 'new@lab.org', role: 'researcher' });
    expect((await callerFor(rt, admin).user.list()).map((u) => u.email)).toContain('new@lab.org');
  });

  it('reports field errors for bad input and never creates a duplicate', async () => {
    const admin = await makeUser(rt, 'admin');
    const caller = callerFor(rt, admin);
    await expect(caller.user.create({ email: 'not-an-email', name: 'x', password: 'longenough', role: 'labeler' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await caller.user.create({ email: 'dup@lab.org', name: 'x', password: 'longenough', role: 'labeler' });
    await expect(caller.user.create({ email: 'dup@lab.org', name: 'y', password: 'longenough', role: 'labeler' })).rejects.toThrow(/already exists/);
    expect((await caller.user.list()).filter((u) => u.email === 'dup@lab.org')).toHaveLength(1);
  });

  it('signs in with the right password only, and resolves the session from its cookie', async () => {
    const u = await makeUser(rt, 'labeler', 'cookie');
    await expect(rt.auth.api.signInEmail({ body: { email: u.email, password: 'wrong-password' } })).rejects.toThrow();
    const res = await rt.auth.api.signInEmail({ body: { email: u.email, password: 'password123' }, asResponse: true });
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/i);
    const { sessionUser } = await import('../auth');
    const headers = new Headers({ cookie: cookie.split(';')[0]! });
    expect(await sessionUser(rt.auth, headers)).toMatchObject({ id: u.id, role: 'labeler' });
    expect(await sessionUser(rt.auth, new Headers({ cookie: 'better-auth.session_token=forged' }))).toBeNull();
  });

  it('refuses an expired session', async () => {
    const u = await makeUser(rt, 'labeler', 'expiring');
    const res = await rt.auth.api.signInEmail({ body: { email: u.email, password: 'password123' }, asResponse: true });
    const headers = new Headers({ cookie: (res.headers.get('set-cookie') ?? '').split(';')[0]! });
    const { sessionUser } = await import('../auth');
    expect(await sessionUser(rt.auth, headers)).toMatchObject({ id: u.id });
    const { session } = await import('@/db/schema');
    const { eq } = await import('drizzle-orm');
    rt.db.update(session).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(session.userId, u.id)).run();
    expect(await sessionUser(rt.auth, headers)).toBeNull();
  });
});
