/**
 * Opens the embedded SQLite database (WAL, foreign keys on) and applies the committed migrations.
 * Query code elsewhere uses drizzle's dialect-neutral builders so PostgreSQL stays a possible backend.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/** Directory of committed migrations (works from source, tsx and the Next server bundle). */
export function migrationsDir(): string {
  const candidates = [
    path.join(process.cwd(), 'db', 'migrations'),
    (() => {
      try {
        return path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
      } catch {
        return '';
      }
    })(),
  ];
  const found = candidates.find((c) => c && fs.existsSync(path.join(c, 'meta', '_journal.json')));
  if (!found) throw new Error(`Database migrations not found (looked in ${candidates.filter(Boolean).join(', ')})`);
  return found;
}

export interface OpenDbOptions {
  /** Apply pending migrations (default true). */
  migrate?: boolean;
  readonly?: boolean;
}

export function openDb(file: string, opts: OpenDbOptions = {}): Db {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new Database(file, { readonly: opts.readonly ?? false });
  if (!opts.readonly) sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  // Readers and writers from several threads/processes wait for each other instead of failing at once.
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  // Savepoint and statement journals in memory, not in temporary files: the group commit runs every write
  // in a savepoint (db/group-commit.ts), and with file-backed journals each label's inserts cost twice as much.
  sqlite.pragma('temp_store = MEMORY');
  const db = drizzle(sqlite, { schema }) as Db;
  if (opts.migrate ?? true) migrate(db, { migrationsFolder: migrationsDir() });
  return db;
}

export function dbFile(dataDir: string): string {
  return path.join(dataDir, 'dagger-studio.sqlite');
}

export { schema };

/** A database handle or an open transaction on it: verbs that may run inside a caller's transaction take this. */
export type DbOrTx = Db | Parameters<Parameters<Db['transaction']>[0]>[0];
