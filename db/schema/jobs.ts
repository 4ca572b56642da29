/** Background jobs are rows: a worker claims one with a lease; an expired lease lets another take over. */
import { index, integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const JOB_STATES = ['queued', 'running', 'done', 'failed'] as const;
export type JobState = (typeof JOB_STATES)[number];

export const job = sqliteTable(
  'job',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    type: text('type').notNull(),
    payload: text('payload', { mode: 'json' }).$type<unknown>(),
    state: text('state', { enum: JOB_STATES }).notNull().default('queued'),
    progress: real('progress').notNull().default(0),
    progressMessage: text('progress_message'),
    /** Structured progress detail for progress bars (e.g. {epoch, loss}). */
    progressDetail: text('progress_detail', { mode: 'json' }).$type<unknown>(),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull().default(3),
    error: text('error'),
    result: text('result', { mode: 'json' }).$type<unknown>(),
    leaseOwner: text('lease_owner'),
    leaseExpiresAt: integer('lease_expires_at'),
    /** Jobs with the same key are not enqueued twice while one is queued or running. */
    dedupeKey: text('dedupe_key'),
    projectId: integer('project_id'),
    createdAt: integer('created_at').notNull(),
    startedAt: integer('started_at'),
    finishedAt: integer('finished_at'),
  },
  (t) => [
    index('job_claim_idx').on(t.state, t.id),
    uniqueIndex('job_dedupe_idx').on(t.dedupeKey),
    index('job_project_idx').on(t.projectId),
  ],
);
