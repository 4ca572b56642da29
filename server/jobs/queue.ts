/**
 * The persisted job queue. Jobs are rows; a worker claims the oldest runnable one by writing a lease
 * (owner + expiry). A lease that expires (worker crashed, process killed) makes the job claimable again.
 * Every write after the claim is guarded by the lease owner, so a worker that lost its lease cannot
 * complete or fail a job another worker has taken over.
 */
import { and, asc, eq, inArray, lt, or, sql } from 'drizzle-orm';
import type { DbOrTx as Db } from '@/db/client';
import { job } from '@/db/schema';

export type JobRow = typeof job.$inferSelect;

export interface EnqueueInput {
  type: string;
  payload: unknown;
  projectId?: number | null;
  /** Jobs with the same key are enqueued once: a second enqueue returns the first job. */
  dedupeKey?: string | null;
  maxAttempts?: number;
}

export function enqueueJob(db: Db, input: EnqueueInput, now = Date.now()): JobRow {
  if (input.dedupeKey) {
    const existing = db.select().from(job).where(eq(job.dedupeKey, input.dedupeKey)).get();
    if (existing) return existing;
  }
  return db
    .insert(job)
    .values({
      type: input.type,
      payload: input.payload ?? null,
      projectId: input.projectId ?? null,
      dedupeKey: input.dedupeKey ?? null,
      maxAttempts: input.maxAttempts ?? 3,
      createdAt: now,
    })
    .returning()
    .get();
}

/**
 * Claims one job: queued, or running with an expired lease. Atomic — one UPDATE … WHERE id = (SELECT …)
 * statement, so two workers never claim the same job.
 */
export function claimJob(db: Db, owner: string, leaseMs: number, types?: string[], now = Date.now()): JobRow | null {
  const runnable = or(eq(job.state, 'queued'), and(eq(job.state, 'running'), lt(job.leaseExpiresAt, now)));
  const candidate = db
    .select({ id: job.id })
    .from(job)
    .where(types && types.length ? and(runnable, inArray(job.type, types)) : runnable)
    .orderBy(asc(job.id))
    .limit(1);
  const claimed = db
    .update(job)
    .set({
      state: 'running',
      leaseOwner: owner,
      leaseExpiresAt: now + leaseMs,
      attempts: sql`${job.attempts} + 1`,
      startedAt: sql`coalesce(${job.startedAt}, ${now})`,
    })
    .where(and(eq(job.id, sql`(${candidate})`), runnable))
    .returning()
    .get();
  return claimed ?? null;
}

/** Extends the lease and records progress (0–1). Returns false if the lease was lost. */
export function reportProgress(
  db: Db,
  id: number,
  owner: string,
  leaseMs: number,
  progress: { fraction?: number; message?: string; detail?: unknown },
  now = Date.now(),
): boolean {
  const set: Partial<typeof job.$inferInsert> = { leaseExpiresAt: now + leaseMs };
  if (progress.fraction !== undefined) set.progress = Math.min(1, Math.max(0, progress.fraction));
  if (progress.message !== undefined) set.progressMessage = progress.message;
  if (progress.detail !== undefined) set.progressDetail = progress.detail;
  const r = db
    .update(job)
    .set(set)
    .where(and(eq(job.id, id), eq(job.leaseOwner, owner), eq(job.state, 'running')))
    .run();
  return r.changes === 1;
}

export function completeJob(db: Db, id: number, owner: string, result: unknown, now = Date.now()): boolean {
  const r = db
    .update(job)
    .set({ state: 'done', progress: 1, result: result ?? null, finishedAt: now, leaseExpiresAt: null, error: null })
    .where(and(eq(job.id, id), eq(job.leaseOwner, owner), eq(job.state, 'running')))
    .run();
  return r.changes === 1;
}

/** Records a failure: the job is retried (queued again) until it has used its attempts. */
export function failJob(db: Db, id: number, owner: string, error: string, now = Date.now()): JobRow | null {
  const row = db.select().from(job).where(and(eq(job.id, id), eq(job.leaseOwner, owner), eq(job.state, 'running'))).get();
  if (!row) return null;
  const final = row.attempts >= row.maxAttempts;
  return (
    db
      .update(job)
      .set({
        state: final ? 'failed' : 'queued',
        error,
        leaseOwner: null,
        leaseExpiresAt: null,
        finishedAt: final ? now : null,
      })
      .where(eq(job.id, id))
      .returning()
      .get() ?? null
  );
}

export function getJob(db: Db, id: number): JobRow | undefined {
  return db.select().from(job).where(eq(job.id, id)).get();
}
