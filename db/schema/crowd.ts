/** Invitations (account links and crowd links) and the crowd participants who arrived through them. */
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { user } from './auth';
import { project } from './project';

export const invite = sqliteTable('invite', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  /** Random URL token (the link is /join/<token>). */
  token: text('token').notNull().unique(),
  projectId: integer('project_id')
    .notNull()
    .references(() => project.id),
  /** 'account': a labeler creates an account; 'crowd': anonymous participants by external id (?pid=). */
  kind: text('kind', { enum: ['account', 'crowd'] }).notNull(),
  maxUses: integer('max_uses').notNull(),
  uses: integer('uses').notNull().default(0),
  /** Crowd: tasks each participant may do before getting the completion code. */
  taskCap: integer('task_cap'),
  expiresAt: integer('expires_at').notNull(),
  revokedAt: integer('revoked_at'),
  createdBy: text('created_by')
    .notNull()
    .references(() => user.id),
  createdAt: integer('created_at').notNull(),
});

export const participant = sqliteTable(
  'participant',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    inviteId: integer('invite_id')
      .notNull()
      .references(() => invite.id),
    externalId: text('external_id').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => user.id),
    /** Shown when the participant has done their capped number of tasks. */
    completionCode: text('completion_code').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('participant_invite_ext_idx').on(t.inviteId, t.externalId), index('participant_user_idx').on(t.userId)],
);

/** Per-project API tokens for external simulators (HTTP API). Only a hash of the token is stored. */
export const apiToken = sqliteTable('api_token', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  projectId: integer('project_id')
    .notNull()
    .references(() => project.id),
  name: text('name').notNull(),
  tokenHash: text('token_hash').notNull().unique(),
  /** First characters, to recognise a token in the dashboard. */
  prefix: text('prefix').notNull(),
  createdBy: text('created_by').references(() => user.id),
  createdAt: integer('created_at').notNull(),
  revokedAt: integer('revoked_at'),
  lastUsedAt: integer('last_used_at'),
});
