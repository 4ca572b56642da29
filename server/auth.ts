/**
 * Accounts with better-auth (email + password, sessions in httpOnly cookies) on our Drizzle schema.
 * Roles live on the user row (admin / researcher / labeler); project access lives in project_member.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { prepared } from '@/db/prepared';
import * as schema from '@/db/schema';
import { ROLES, type Role } from '@/db/schema';

/** Session lifetime and the age after which a request slides its expiry forward (better-auth's own rule). */
export const SESSION_EXPIRES_IN_S = 60 * 60 * 24 * 7;
export const SESSION_UPDATE_AGE_S = 60 * 60 * 24;

export interface AuthOptions {
  secret: string;
  baseUrl: string;
  /** Turn off HTTP rate limits (unit tests call the API directly, without HTTP). */
  rateLimit?: boolean;
  /** Sign-in attempts per address per minute (default 10). */
  signInPerMinute?: number;
}

export function createAuth(db: Db, opts: AuthOptions) {
  return betterAuth({
    appName: 'DAgger Studio',
    secret: opts.secret,
    baseURL: opts.baseUrl,
    trustedOrigins: [opts.baseUrl, 'http://localhost:*', 'http://127.0.0.1:*'],
    database: drizzleAdapter(db, {
      provider: 'sqlite',
      schema: {
        user: schema.user,
        session: schema.session,
        account: schema.account,
        verification: schema.verification,
        rateLimit: schema.rateLimit,
      },
    }),
    emailAndPassword: { enabled: true, minPasswordLength: 8, maxPasswordLength: 128, autoSignIn: true },
    user: {
      additionalFields: {
        // input: false → a sign-up request cannot choose its own role.
        role: { type: 'string', required: false, defaultValue: 'labeler', input: false },
      },
    },
    session: { expiresIn: SESSION_EXPIRES_IN_S, updateAge: SESSION_UPDATE_AGE_S, cookieCache: { enabled: false } },
    rateLimit: {
      enabled: opts.rateLimit ?? true,
      storage: 'database',
      modelName: 'rateLimit',
      window: 60,
      max: 300,
      customRules: {
        '/sign-in/email': { window: 60, max: opts.signInPerMinute ?? 10 },
        '/sign-up/email': { window: 60, max: 10 },
      },
    },
    advanced: { database: { generateId: () => crypto.randomUUID() } },
    telemetry: { enabled: false },
  });
}

export type Auth = ReturnType<typeof createAuth>;

/** What a session check reads of request headers (a Fetch `Headers` is one; the Node tRPC handler reads in place). */
export type RequestHeaders = Pick<Headers, 'get'>;

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
}

/** Creates an account with a password (server side, no HTTP) and sets its role. */
export async function createUser(
  db: Db,
  auth: Auth,
  input: { email: string; password: string; name: string; role: Role },
): Promise<SessionUser> {
  const res = await auth.api.signUpEmail({ body: { email: input.email, password: input.password, name: input.name } });
  db.update(schema.user).set({ role: input.role }).where(eq(schema.user.id, res.user.id)).run();
  return { id: res.user.id, email: res.user.email, name: res.user.name, role: input.role };
}

const SESSION_COOKIES = ['better-auth.session_token', '__Secure-better-auth.session_token'];

/**
 * The expected signature of a token, remembered for the tokens seen lately: a labeler sends the same
 * cookie with every request, and computing the HMAC each time was ~5 % of the request thread's work. Only
 * the computation is skipped — the signature given is still compared in constant time with the expected one.
 */
const signatures = new Map<string, Buffer>();
const SIGNATURES_KEPT = 4096;
function signatureOf(token: string, secret: string): Buffer {
  const key = `${secret}\u0000${token}`;
  let sig = signatures.get(key);
  if (!sig) {
    sig = createHmac('sha256', secret).update(token).digest();
    if (signatures.size >= SIGNATURES_KEPT) signatures.delete(signatures.keys().next().value!);
    signatures.set(key, sig);
  }
  return sig;
}

/** The session token of a request's cookie header, if its signature (HMAC-SHA256 with the secret) holds. */
export function signedSessionToken(cookieHeader: string | null, secret: string): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(';')) {
    const sep = part.indexOf('=');
    if (sep < 0 || !SESSION_COOKIES.includes(part.slice(0, sep).trim())) continue;
    let value: string;
    try {
      value = decodeURIComponent(part.slice(sep + 1).trim());
    } catch {
      return null;
    }
    const dot = value.lastIndexOf('.');
    if (dot < 1) return null;
    const token = value.slice(0, dot);
    const given = Buffer.from(value.slice(dot + 1), 'base64');
    const expected = signatureOf(token, secret);
    return given.length === expected.length && timingSafeEqual(given, expected) ? token : null;
  }
  return null;
}

/**
 * The signed-in user for a request's headers, or null. The common case (a valid session that needs no
 * refresh) is one signature check and one indexed read; better-auth itself answers the rest (sliding the
 * expiry forward once a day, unusual cookies), so the two can never disagree on who is signed in.
 */
export async function sessionUser(rt: { auth: Auth; db: Db; config: { authSecret: string } }, headers: RequestHeaders, now = Date.now()): Promise<SessionUser | null> {
  const token = signedSessionToken(headers.get('cookie'), rt.config.authSecret);
  if (token) {
    const row = prepared(rt.db, 'sessionUser', (d) =>
      d
        .select({ expiresAt: schema.session.expiresAt, id: schema.user.id, email: schema.user.email, name: schema.user.name, role: schema.user.role })
        .from(schema.session)
        .innerJoin(schema.user, eq(schema.user.id, schema.session.userId))
        .where(eq(schema.session.token, sql.placeholder('token')))
        .prepare(),
    ).get({ token });
    if (!row || row.expiresAt.getTime() <= now) return null;
    const refreshDue = row.expiresAt.getTime() - SESSION_EXPIRES_IN_S * 1000 + SESSION_UPDATE_AGE_S * 1000 <= now;
    if (!refreshDue) return { id: row.id, email: row.email, name: row.name, role: roleOf(row.role) };
  }
  const s = await rt.auth.api.getSession({ headers: headers instanceof Headers ? headers : new Headers({ cookie: headers.get('cookie') ?? '' }) });
  if (!s) return null;
  const u = s.user as typeof s.user & { role?: string };
  return { id: u.id, email: u.email, name: u.name, role: roleOf(u.role) };
}

/** A stored role, or the least privileged one for anything unexpected. */
function roleOf(role: string | undefined): Role {
  return ROLES.find((r) => r === role) ?? 'labeler';
}
