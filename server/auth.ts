/**
 * Accounts with better-auth (email + password, sessions in httpOnly cookies) on our Drizzle schema.
 * Roles live on the user row (admin / researcher / labeler); project access lives in project_member.
 */
import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import * as schema from '@/db/schema';
import type { Role } from '@/db/schema';

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
    session: { expiresIn: 60 * 60 * 24 * 7, updateAge: 60 * 60 * 24, cookieCache: { enabled: false } },
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

/** The signed-in user for a request's headers, or null. */
export async function sessionUser(auth: Auth, headers: Headers): Promise<SessionUser | null> {
  const s = await auth.api.getSession({ headers });
  if (!s) return null;
  const u = s.user as typeof s.user & { role?: string };
  const role = (['admin', 'researcher', 'labeler'] as const).find((r) => r === u.role) ?? 'labeler';
  return { id: u.id, email: u.email, name: u.name, role };
}
