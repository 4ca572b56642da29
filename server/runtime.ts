/**
 * The process-wide runtime: configuration, database and auth, created once on first use.
 * Tests never touch this; they build their own with `createRuntime` on a temporary directory.
 */
import path from 'node:path';
import { dbFile, openDb, type Db } from '@/db/client';
import { createAuth, type Auth } from './auth';
import { config, type Config } from './config';
import type { WriterThread } from './writer';

export interface Runtime {
  config: Pick<Config, 'dataDir' | 'baseUrl' | 'authSecret' | 'JOB_LEASE_MS'> & { SIGNIN_RATE_LIMIT?: number; LABEL_RATE_LIMIT?: number };
  db: Db;
  auth: Auth;
  /** Where content-addressed artifacts (policies, frames) live. */
  artifactsDir: string;
  /** The thread that runs labelers' writes, where one was started (`npm start`; see server/writer.ts). */
  writer?: WriterThread;
}

export function createRuntime(cfg: Runtime['config'], opts: { rateLimit?: boolean; dbPath?: string; migrate?: boolean } = {}): Runtime {
  const db = openDb(opts.dbPath ?? dbFile(cfg.dataDir), { migrate: opts.migrate });
  const auth = createAuth(db, { secret: cfg.authSecret, baseUrl: cfg.baseUrl, rateLimit: opts.rateLimit, signInPerMinute: cfg.SIGNIN_RATE_LIMIT });
  return { config: cfg, db, auth, artifactsDir: path.join(cfg.dataDir, 'artifacts') };
}

const g = globalThis as typeof globalThis & { __daggerRuntime?: Runtime };

/** The runtime of this process (Next server, worker, CLI), from the environment's configuration. */
export function runtime(): Runtime {
  g.__daggerRuntime ??= createRuntime(config());
  return g.__daggerRuntime;
}
