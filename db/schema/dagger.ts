/**
 * The DAgger loop's artifacts. Append-only: a round's data is never rewritten after the round moves on;
 * dataset items are excluded or re-queued by recording an event, never by deleting; policy files are
 * content-addressed and a deployment is a new row.
 */
import { sql } from 'drizzle-orm';
import { index, integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { user } from './auth';
import { project } from './project';

export const ROUND_PHASES = ['rollout', 'labeling', 'training', 'evaluating', 'done', 'failed'] as const;
export type RoundPhaseColumn = (typeof ROUND_PHASES)[number];

export const round = sqliteTable(
  'round',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    projectId: integer('project_id')
      .notNull()
      .references(() => project.id),
    /** 0 = demonstrations / behaviour cloning; i ≥ 1 = DAgger iterations. */
    index: integer('index').notNull(),
    phase: text('phase', { enum: ROUND_PHASES }).notNull(),
    /** Phase that failed, so `resume` knows where to restart. */
    failedPhase: text('failed_phase'),
    error: text('error'),
    beta: real('beta').notNull(),
    seed: integer('seed').notNull(),
    /** The policy version rolled out in this round (πᵢ); null in round 0. */
    policyVersionId: integer('policy_version_id'),
    /** The policy trained when the round closed (πᵢ₊₁). */
    trainedPolicyVersionId: integer('trained_policy_version_id'),
    closedEarly: integer('closed_early', { mode: 'boolean' }).notNull().default(false),
    datasetHash: text('dataset_hash'),
    /** Evaluation and training figures written when the round finishes. */
    metrics: text('metrics', { mode: 'json' }).$type<Record<string, unknown>>(),
    createdAt: integer('created_at').notNull(),
    closedAt: integer('closed_at'),
  },
  (t) => [uniqueIndex('round_project_index_idx').on(t.projectId, t.index)],
);

export const rollout = sqliteTable(
  'rollout',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    projectId: integer('project_id')
      .notNull()
      .references(() => project.id),
    roundId: integer('round_id').references(() => round.id),
    /** 'dagger' (learner rollout), 'demonstration', 'evaluation', 'external'. */
    kind: text('kind').notNull(),
    episode: integer('episode').notNull(),
    seed: integer('seed'),
    policyVersionId: integer('policy_version_id'),
    length: integer('length').notNull(),
    return: real('return').notNull(),
    terminated: integer('terminated', { mode: 'boolean' }).notNull(),
    truncated: integer('truncated', { mode: 'boolean' }).notNull(),
    /** StoredStep[] (server/jobs/rollouts.ts): state, action executed, policy action, reward, terminated… */
    steps: text('steps', { mode: 'json' }).notNull().$type<unknown[]>(),
    /** Observations per step, kept apart from `steps` so replaying states never parses them. */
    observations: text('observations', { mode: 'json' }).$type<number[][]>(),
    /** The learner's distribution parameters per step (logits / mean, log-std…), or null. */
    params: text('params', { mode: 'json' }).$type<(Record<string, number[]> | null)[]>(),
    finalState: text('final_state', { mode: 'json' }).$type<unknown>(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('rollout_round_idx').on(t.roundId, t.episode)],
);

export const QUERY_STATUSES = ['open', 'resolved'] as const;

/** A state selected for labeling, and why. */
export const query = sqliteTable(
  'query',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    projectId: integer('project_id')
      .notNull()
      .references(() => project.id),
    roundId: integer('round_id')
      .notNull()
      .references(() => round.id),
    rolloutId: integer('rollout_id').references(() => rollout.id),
    t: integer('t').notNull(),
    state: text('state', { mode: 'json' }).$type<unknown>(),
    obs: text('obs', { mode: 'json' }).notNull().$type<number[]>(),
    policyAction: text('policy_action', { mode: 'json' }).$type<unknown>(),
    reason: text('reason').notNull(),
    /** Gold queries have a known answer used to measure labeler accuracy. */
    isGold: integer('is_gold', { mode: 'boolean' }).notNull().default(false),
    goldAction: text('gold_action', { mode: 'json' }).$type<unknown>(),
    labelsRequired: integer('labels_required').notNull(),
    status: text('status', { enum: QUERY_STATUSES }).notNull().default('open'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('query_open_idx').on(t.projectId, t.status, t.id), index('query_round_idx').on(t.roundId, t.status)],
);

export const TASK_STATES = ['leased', 'submitted', 'skipped', 'expired'] as const;

/** One labeler's lease on one query. Unique per (query, labeler): nobody sees the same state twice. */
export const task = sqliteTable(
  'task',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    queryId: integer('query_id')
      .notNull()
      .references(() => query.id),
    projectId: integer('project_id')
      .notNull()
      .references(() => project.id),
    labelerId: text('labeler_id')
      .notNull()
      .references(() => user.id),
    state: text('state', { enum: TASK_STATES }).notNull().default('leased'),
    leasedAt: integer('leased_at').notNull(),
    leaseExpiresAt: integer('lease_expires_at').notNull(),
  },
  // Few indexes, on purpose: every claim inserts a task and every label updates one, and each index keyed by
  // labeler is one more page written per labeler per commit. (A labeler's leased tasks are found through
  // task_labeler_query_idx; the state is not indexed, so marking a task submitted touches no index.)
  (t) => [uniqueIndex('task_query_labeler_idx').on(t.queryId, t.labelerId), index('task_labeler_query_idx').on(t.labelerId, t.queryId)],
);

export const label = sqliteTable(
  'label',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    queryId: integer('query_id')
      .notNull()
      .references(() => query.id),
    taskId: integer('task_id').references(() => task.id),
    projectId: integer('project_id')
      .notNull()
      .references(() => project.id),
    labelerId: text('labeler_id')
      .notNull()
      .references(() => user.id),
    action: text('action', { mode: 'json' }).notNull().$type<number | number[]>(),
    unsure: integer('unsure', { mode: 'boolean' }).notNull().default(false),
    timeMs: integer('time_ms').notNull(),
    /** 'key', 'click', 'segment', 'widget', 'simulated'. */
    mode: text('mode').notNull(),
    /** Client-generated id: re-submitting the same id returns the first result (idempotent). */
    clientId: text('client_id').notNull(),
    /** Copied from the query (gold is fixed when a state is selected), so a labeler's gold record is one index range. */
    gold: integer('gold', { mode: 'boolean' }).notNull().default(false),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('label_client_idx').on(t.labelerId, t.clientId),
    index('label_query_idx').on(t.queryId),
    // In label order within a project, so a new label lands at the end of the index.
    index('label_project_idx').on(t.projectId),
    // Gold labels only (a few percent): a labeler's gold record for the vote weights, without a page per
    // labeler written for every ordinary label. Queries must say `gold = 1` literally to use it.
    index('label_gold_idx')
      .on(t.projectId, t.labelerId)
      .where(sql`${t.gold} = 1`),
  ],
);

export const DATASET_SOURCES = ['demonstration', 'dagger', 'import'] as const;
export type DatasetSource = (typeof DATASET_SOURCES)[number];

export const datasetItem = sqliteTable(
  'dataset_item',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    projectId: integer('project_id')
      .notNull()
      .references(() => project.id),
    roundId: integer('round_id')
      .notNull()
      .references(() => round.id),
    queryId: integer('query_id').references(() => query.id),
    rolloutId: integer('rollout_id').references(() => rollout.id),
    t: integer('t'),
    source: text('source', { enum: DATASET_SOURCES }).notNull(),
    obs: text('obs', { mode: 'json' }).notNull().$type<number[]>(),
    state: text('state', { mode: 'json' }).$type<unknown>(),
    action: text('action', { mode: 'json' }).notNull().$type<number | number[]>(),
    agreement: real('agreement').notNull().default(1),
    labelCount: integer('label_count').notNull().default(0),
    labelIds: text('label_ids', { mode: 'json' }).notNull().$type<number[]>().default([]),
    /** Current exclusion flag, derived from the latest dataset_event (kept for fast filtering). */
    excluded: integer('excluded', { mode: 'boolean' }).notNull().default(false),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('dataset_project_idx').on(t.projectId, t.id), uniqueIndex('dataset_query_idx').on(t.queryId)],
);

/** Exclusions, re-inclusions and relabel requests on dataset items: the audit trail. */
export const datasetEvent = sqliteTable('dataset_event', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  datasetItemId: integer('dataset_item_id')
    .notNull()
    .references(() => datasetItem.id),
  kind: text('kind', { enum: ['exclude', 'include', 'relabel'] }).notNull(),
  byUserId: text('by_user_id').references(() => user.id),
  reason: text('reason'),
  createdAt: integer('created_at').notNull(),
});

export const policyVersion = sqliteTable(
  'policy_version',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    projectId: integer('project_id')
      .notNull()
      .references(() => project.id),
    /** 1, 2, 3... per project. */
    version: integer('version').notNull(),
    parentId: integer('parent_id'),
    roundId: integer('round_id').references(() => round.id),
    /** sha256 of the ONNX bytes; the file lives at DATA_DIR/policies/<sha256>.onnx. */
    sha256: text('sha256').notNull(),
    policyClass: text('policy_class').notNull(),
    source: text('source', { enum: ['trained', 'imported'] }).notNull(),
    trainingConfig: text('training_config', { mode: 'json' }).$type<unknown>(),
    datasetHash: text('dataset_hash'),
    datasetSize: integer('dataset_size'),
    metrics: text('metrics', { mode: 'json' }).$type<Record<string, unknown>>(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('policy_project_version_idx').on(t.projectId, t.version)],
);

/** Which policy version serves a project: the latest row wins; history is the table. */
export const deployment = sqliteTable(
  'deployment',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    projectId: integer('project_id')
      .notNull()
      .references(() => project.id),
    policyVersionId: integer('policy_version_id')
      .notNull()
      .references(() => policyVersion.id),
    byUserId: text('by_user_id'),
    reason: text('reason').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('deployment_project_idx').on(t.projectId, t.id)],
);
