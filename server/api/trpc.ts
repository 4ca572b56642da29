/**
 * tRPC setup, in reading order:
 *  1. the context — an inner part that needs no HTTP request (tests call routers with it directly),
 *     and the outer part that reads the session cookie;
 *  2. initialisation, with the one error formatter;
 *  3. the procedures: public, authed, researcher, admin, and project-scoped ones that check membership.
 */
import { initTRPC, TRPCError } from '@trpc/server';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { projectMember } from '@/db/schema';
import type { ProjectRole } from '@/db/schema';
import { sessionUser, type Auth, type RequestHeaders, type SessionUser } from '../auth';
import { fieldErrorsOf, toTRPCError } from '../errors';
import type { Runtime } from '../runtime';
import { takeRateLimit } from '../services/rate-limit';
import { transformer } from './transformer';

// 1. Context ----------------------------------------------------------------------------------------
export interface InnerContext {
  db: Db;
  auth: Auth;
  runtime: Runtime;
  user: SessionUser | null;
  /** Request headers where there is a request (used for same-origin checks and cookies). */
  headers: RequestHeaders | null;
}

export function createInnerContext(runtime: Runtime, user: SessionUser | null, headers: RequestHeaders | null = null): InnerContext {
  return { db: runtime.db, auth: runtime.auth, runtime, user, headers };
}

export async function createContext(runtime: Runtime, headers: RequestHeaders): Promise<InnerContext> {
  const user = await sessionUser(runtime, headers);
  return createInnerContext(runtime, user, headers);
}

// 2. Initialisation ------------------------------------------------------------------------------------
const t = initTRPC.context<InnerContext>().create({
  transformer,
  errorFormatter({ shape, error }) {
    return { ...shape, data: { ...shape.data, stack: undefined, fieldErrors: fieldErrorsOf(error.cause) } };
  },
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/**
 * Every procedure runs through this one middleware (each level of tRPC middleware copies the call's
 * options and context, so the checks every call needs share one): domain errors become tRPC errors in
 * exactly one place, and mutations from a browser must come from our own origin (defence against CSRF).
 */
const base = t.middleware(async ({ ctx, type, next }) => {
  sameOrigin(ctx, type);
  return settled(await next());
});

function sameOrigin(ctx: InnerContext, type: string): void {
  if (type === 'mutation' && ctx.headers) {
    const origin = ctx.headers.get('origin');
    const host = ctx.headers.get('host');
    if (origin && host && new URL(origin).host !== host) {
      throw new TRPCError({ code: 'FORBIDDEN', message: 'Cross-origin request refused' });
    }
  }
}

function settled<R extends { ok: boolean; error?: unknown }>(result: R): R {
  if (!result.ok) {
    const error = result.error as { cause?: unknown } | undefined;
    throw toTRPCError(error?.cause ?? error);
  }
  return result;
}

// 3. Procedures ----------------------------------------------------------------------------------------
export const publicProcedure = t.procedure.use(base);

function signedIn(ctx: InnerContext): SessionUser {
  if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in first' });
  return ctx.user;
}

export const authedProcedure = publicProcedure.use(({ ctx, next }) => next({ ctx: { user: signedIn(ctx) } }));

export const researcherProcedure = authedProcedure.use(({ ctx, next }) => {
  if (ctx.user.role !== 'researcher' && ctx.user.role !== 'admin') {
    throw new TRPCError({ code: 'FORBIDDEN', message: 'Researchers only' });
  }
  return next();
});

export const adminProcedure = authedProcedure.use(({ ctx, next }) => {
  if (ctx.user.role !== 'admin') throw new TRPCError({ code: 'FORBIDDEN', message: 'Admins only' });
  return next();
});

/** The caller's role in a project, or null. Admins count as researchers everywhere. */
export function projectRoleOf(db: Db, user: SessionUser, projectId: number): ProjectRole | null {
  if (user.role === 'admin') return 'researcher';
  const row = db
    .select({ role: projectMember.role })
    .from(projectMember)
    .where(and(eq(projectMember.projectId, projectId), eq(projectMember.userId, user.id)))
    .get();
  if (!row) return null;
  // A labeler account never gets researcher rights, whatever the membership row says.
  if (row.role === 'researcher' && user.role === 'labeler') return 'labeler';
  return row.role;
}

/**
 * A signed-in caller's procedure with a per-user rate limit (e.g. label submission: a person cannot label
 * 30 states a second; a script hammering the endpoint gets TOO_MANY_REQUESTS instead of filling the
 * database). The sign-in check and the limit are one middleware, as on the labeling hot path.
 */
export function rateLimitedProcedure(name: string, max: number | ((config: Runtime['config']) => number), windowMs: number) {
  // The base middleware's checks are made here too, in the same middleware: these are the labeling hot
  // path's procedures, and each middleware level costs a copy of the call's options and context.
  return t.procedure.use(async ({ ctx, type, next }) => {
    sameOrigin(ctx, type);
    const user = signedIn(ctx);
    if (!takeRateLimit(ctx.db, `trpc:${name}:${user.id}`, typeof max === 'number' ? max : max(ctx.runtime.config), windowMs)) {
      throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: `Too many requests to ${name}; slow down` });
    }
    return settled(await next({ ctx: { user } }));
  });
}

const projectInput = z.object({ projectId: z.number().int().positive() });

function requireProjectRole(min: ProjectRole) {
  return authedProcedure.input(projectInput).use(({ ctx, input, next }) => {
    const role = projectRoleOf(ctx.db, ctx.user, input.projectId);
    // Same answer for "no such project" and "not yours": ids of other projects reveal nothing.
    if (!role) throw new TRPCError({ code: 'NOT_FOUND', message: 'Project not found' });
    if (min === 'researcher' && role !== 'researcher') {
      throw new TRPCError({ code: 'FORBIDDEN', message: 'Researchers of this project only' });
    }
    return next({ ctx: { ...ctx, projectRole: role } });
  });
}

/** Any member of the project (labelers included). Input must include `projectId`. */
export const projectMemberProcedure = requireProjectRole('labeler');
/** Researchers of the project (and admins). Input must include `projectId`. */
export const projectResearcherProcedure = requireProjectRole('researcher');
