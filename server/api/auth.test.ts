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
    expect(await sessionUser(rt, headers)).toMatchObject({ id: u.id, role: 'labeler' });
    expect(await sessionUser(rt, new Headers({ cookie: 'better-auth.session_token=forged' }))).toBeNull();
  });

  it('refuses an expired session', async () => {
    const u = await makeUser(rt, 'labeler', 'expiring');
    const res = await rt.auth.api.signInEmail({ body: { email: u.email, password: 'password123' }, asResponse: true });
    const headers = new Headers({ cookie: (res.headers.get('set-cookie') ?? '').split(';')[0]! });
    const { sessionUser } = await import('../auth');
    expect(await sessionUser(rt, headers)).toMatchObject({ id: u.id });
    const { session } = await import('@/db/schema');
    const { eq } = await import('drizzle-orm');
    rt.db.update(session).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(session.userId, u.id)).run();
    expect(await sessionUser(rt, headers)).toBeNull();
  });

  it('answers from the session row on the fast path, and lets better-auth slide the expiry when due', async () => {
    const u = await makeUser(rt, 'researcher', 'sliding');
    const res = await rt.auth.api.signInEmail({ body: { email: u.email, password: 'password123' }, asResponse: true });
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
    const headers = new Headers({ cookie });
    const { sessionUser, signedSessionToken, SESSION_EXPIRES_IN_S, SESSION_UPDATE_AGE_S } = await import('../auth');
    const { session } = await import('@/db/schema');
    const { eq } = await import('drizzle-orm');
    const token = signedSessionToken(cookie, rt.config.authSecret);
    expect(rt.db.select({ userId: session.userId }).from(session).where(eq(session.token, token!)).get()?.userId).toBe(u.id);
    // A valid token with someone else's signature, or a tampered token, is refused.
    expect(signedSessionToken(`better-auth.session_token=${token}.${'A'.repeat(43)}=`, rt.config.authSecret)).toBeNull();
    expect(signedSessionToken(cookie.replace('=', '=x'), rt.config.authSecret)).toBeNull();
    // Signatures are remembered per token and secret: the same cookie checked against another secret fails.
    expect(signedSessionToken(cookie, rt.config.authSecret)).toBe(token);
    expect(signedSessionToken(cookie, `${rt.config.authSecret}-other`)).toBeNull();
    // A role change shows at once (no cache).
    rt.db.update((await import('@/db/schema')).user).set({ role: 'labeler' }).where(eq((await import('@/db/schema')).user.id, u.id)).run();
    expect(await sessionUser(rt, headers)).toMatchObject({ id: u.id, role: 'labeler' });
    // A session older than the update age is refreshed by better-auth: its expiry moves forward.
    const stale = new Date(Date.now() + (SESSION_EXPIRES_IN_S - SESSION_UPDATE_AGE_S - 60) * 1000);
    rt.db.update(session).set({ expiresAt: stale }).where(eq(session.token, token!)).run();
    expect(await sessionUser(rt, headers)).toMatchObject({ id: u.id });
    const after = rt.db.select({ e: session.expiresAt }).from(session).where(eq(session.token, token!)).get()!.e;
    expect(after.getTime()).toBeGreaterThan(stale.getTime() + 60_000);
    // Signing out (the session row deleted) takes effect on the next request.
    rt.db.delete(session).where(eq(session.token, token!)).run();
    expect(await sessionUser(rt, headers)).toBeNull();
  });

  it('limits sign-in attempts per address over HTTP, right password or not', async () => {
    const limited = makeTestRuntime({ rateLimit: true, signInPerMinute: 3 });
    try {
      const u = await makeUser(limited, 'labeler', 'limited');
      const attempt = (password: string) =>
        limited.auth.handler(
          new Request('http://localhost:3999/api/auth/sign-in/email', {
            method: 'POST',
            headers: { 'content-type': 'application/json', origin: 'http://localhost:3999', 'x-forwarded-for': '10.0.0.7' },
            body: JSON.stringify({ email: u.email, password }),
          }),
        );
      const statuses = [];
      for (const pw of ['wrong-password', 'wrong-password', 'password123', 'password123', 'wrong-password']) statuses.push((await attempt(pw)).status);
      expect(statuses.slice(0, 3)).toEqual([401, 401, 200]);
      expect(statuses.slice(3)).toEqual([429, 429]);
    } finally {
      limited.cleanup();
    }
  });
});
