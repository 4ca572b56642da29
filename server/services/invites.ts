/**
 * Invitations. An account link lets a labeler create an account and join one project; a crowd link admits
 * anonymous participants by an external participant id (`?pid=`), caps their tasks and gives them a
 * completion code at the end. Links expire, have a use count, and can be revoked.
 */
import crypto from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { invite, label, participant, projectMember, user } from '@/db/schema';
import { createUser, type SessionUser } from '../auth';
import { badInput, forbidden, notFound } from '../errors';
import { prepared } from '@/db/prepared';
import type { Runtime } from '../runtime';

export const createInviteInput = z.object({
  projectId: z.number().int().positive(),
  kind: z.enum(['account', 'crowd']),
  maxUses: z.number().int().min(1, 'At least 1 use').max(100_000).default(50),
  expiresInHours: z.number().min(0.01).max(24 * 365).default(24 * 7),
  taskCap: z.number().int().min(1).max(10_000).optional(),
});

export function createInvite(rt: Runtime, by: SessionUser, raw: z.input<typeof createInviteInput>, now = Date.now()) {
  const input = createInviteInput.parse(raw);
  if (input.kind === 'crowd' && !input.taskCap) throw badInput('A crowd link needs a task cap', { taskCap: ['Set how many tasks each participant does'] });
  const token = crypto.randomBytes(18).toString('base64url');
  const row = rt.db
    .insert(invite)
    .values({
      token,
      projectId: input.projectId,
      kind: input.kind,
      maxUses: input.maxUses,
      taskCap: input.taskCap ?? null,
      expiresAt: now + input.expiresInHours * 3_600_000,
      createdBy: by.id,
      createdAt: now,
    })
    .returning()
    .get();
  return { ...row, path: `/join/${token}` };
}

export function listInvites(rt: Runtime, projectId: number) {
  return rt.db.select().from(invite).where(eq(invite.projectId, projectId)).all().map((i) => ({ ...i, path: `/join/${i.token}` }));
}

export function revokeInvite(rt: Runtime, projectId: number, inviteId: number, now = Date.now()): void {
  const r = rt.db.update(invite).set({ revokedAt: now }).where(and(eq(invite.id, inviteId), eq(invite.projectId, projectId))).run();
  if (r.changes !== 1) throw notFound('Invitation');
}

/** The usable invitation for a token, or a clear refusal. */
function usableInvite(db: Runtime['db'], token: string, now: number) {
  const inv = db.select().from(invite).where(eq(invite.token, token)).get();
  if (!inv) throw notFound('Invitation');
  if (inv.revokedAt) throw forbidden('This link has been revoked');
  if (inv.expiresAt < now) throw forbidden('This link has expired');
  return inv;
}

export function describeInvite(rt: Runtime, token: string, now = Date.now()) {
  const inv = usableInvite(rt.db, token, now);
  return { kind: inv.kind, full: inv.uses >= inv.maxUses, taskCap: inv.taskCap };
}

export const acceptAccountInviteInput = z.object({
  token: z.string().min(10).max(100),
  email: z.email('Enter an email address'),
  name: z.string().trim().min(1, 'Enter your name').max(100),
  password: z.string().min(8, 'At least 8 characters').max(128),
});

export async function acceptAccountInvite(rt: Runtime, raw: z.input<typeof acceptAccountInviteInput>, now = Date.now()) {
  const input = acceptAccountInviteInput.parse(raw);
  const inv = usableInvite(rt.db, input.token, now);
  if (inv.kind !== 'account') throw badInput('This is a crowd link: open it with your participant id');
  const email = input.email.toLowerCase();
  if (rt.db.select({ id: user.id }).from(user).where(eq(user.email, email)).get()) {
    throw badInput('An account with this email already exists: sign in and ask the researcher to add you', { email: ['Already registered'] });
  }
  // Take a use first (compare-and-set), so concurrent acceptances cannot exceed the count.
  const took = rt.db.update(invite).set({ uses: sql`${invite.uses} + 1` }).where(and(eq(invite.id, inv.id), sql`${invite.uses} < ${invite.maxUses}`)).run();
  if (took.changes !== 1) throw forbidden('This link has been used up');
  const u = await createUser(rt.db, rt.auth, { email, password: input.password, name: input.name, role: 'labeler' });
  rt.db.insert(projectMember).values({ projectId: inv.projectId, userId: u.id, role: 'labeler', createdAt: now }).onConflictDoNothing().run();
  return { email, projectId: inv.projectId };
}

export const joinCrowdInput = z.object({
  token: z.string().min(10).max(100),
  pid: z
    .string()
    .trim()
    .min(1, 'A participant id (?pid=) is required')
    .max(128)
    .regex(/^[A-Za-z0-9_.:-]+$/, 'Participant ids use letters, digits and _ . : - only'),
});

/** Password of a crowd participant's hidden account, derived from the server secret (never stored). */
function crowdPassword(secret: string, inviteId: number, pid: string): string {
  return crypto.createHmac('sha256', secret).update(`crowd:${inviteId}:${pid}`).digest('base64url');
}

/** Admits (or re-admits) a crowd participant; returns credentials for an immediate sign-in. */
export async function joinCrowd(rt: Runtime, raw: z.input<typeof joinCrowdInput>, now = Date.now()): Promise<{ email: string; password: string; projectId: number }> {
  const input = joinCrowdInput.parse(raw);
  const inv = usableInvite(rt.db, input.token, now);
  if (inv.kind !== 'crowd') throw badInput('This link is for creating an account');
  const password = crowdPassword(rt.config.authSecret, inv.id, input.pid);
  const existing = rt.db
    .select({ email: user.email })
    .from(participant)
    .innerJoin(user, eq(user.id, participant.userId))
    .where(and(eq(participant.inviteId, inv.id), eq(participant.externalId, input.pid)))
    .get();
  if (existing) return { email: existing.email, password, projectId: inv.projectId };
  const took = rt.db.update(invite).set({ uses: sql`${invite.uses} + 1` }).where(and(eq(invite.id, inv.id), sql`${invite.uses} < ${invite.maxUses}`)).run();
  if (took.changes !== 1) throw forbidden('This study is full');
  const email = `crowd-${inv.id}-${crypto.createHash('sha256').update(input.pid).digest('hex').slice(0, 16)}@participants.local`;
  const u = await createUser(rt.db, rt.auth, { email, password, name: `Participant ${input.pid.slice(0, 24)}`, role: 'labeler' });
  rt.db.transaction((tx) => {
    tx.insert(participant).values({ inviteId: inv.id, externalId: input.pid, userId: u.id, completionCode: crypto.randomBytes(6).toString('hex').toUpperCase(), createdAt: now }).run();
    tx.insert(projectMember).values({ projectId: inv.projectId, userId: u.id, role: 'labeler', createdAt: now }).onConflictDoNothing().run();
  });
  return { email, password, projectId: inv.projectId };
}

/** For a crowd participant: how many tasks they may still do, and their code once done. Null for others. */
export function crowdStatus(db: Runtime['db'], userId: string) {
  const p = prepared(db, 'crowdStatus', (d) =>
    d
      .select({ participant, taskCap: invite.taskCap, projectId: invite.projectId, revokedAt: invite.revokedAt })
      .from(participant)
      .innerJoin(invite, eq(invite.id, participant.inviteId))
      .where(eq(participant.userId, sql.placeholder('userId')))
      .prepare(),
  ).get({ userId });
  if (!p) return null;
  const done = db.select({ n: sql<number>`count(*)` }).from(label).where(and(eq(label.labelerId, userId), eq(label.projectId, p.projectId))).get()?.n ?? 0;
  const cap = p.taskCap ?? Infinity;
  return {
    projectId: p.projectId,
    done,
    cap: p.taskCap,
    finished: done >= cap,
    revoked: p.revokedAt !== null,
    completionCode: done >= cap ? p.participant.completionCode : null,
  };
}
