/** Projects and who may work in them. */
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { user } from './auth';

export const PROJECT_ROLES = ['researcher', 'labeler'] as const;
export type ProjectRole = (typeof PROJECT_ROLES)[number];

export const project = sqliteTable('project', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),
  /** Built-in environment id, or null for an external project (spaces declared in config). */
  envId: text('env_id'),
  /** DaggerConfig (server/dagger/round.ts), validated on every read. */
  config: text('config', { mode: 'json' }).notNull().$type<unknown>(),
  createdBy: text('created_by')
    .notNull()
    .references(() => user.id),
  createdAt: integer('created_at').notNull(),
});

export const projectMember = sqliteTable(
  'project_member',
  {
    projectId: integer('project_id')
      .notNull()
      .references(() => project.id),
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    role: text('role', { enum: PROJECT_ROLES }).notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.userId] }), index('member_user_idx').on(t.userId)],
);
