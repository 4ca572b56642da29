/**
 * WAL checkpoints on a thread of their own. By default SQLite checkpoints inside the COMMIT that pushes the
 * WAL past 1000 pages, on the thread that commits — for the web server, the thread answering labelers —
 * and a checkpoint copies pages into the database file and syncs it. Here the serving connection stops
 * checkpointing and a worker thread with its own connection checkpoints every `intervalMs`, on the other
 * core. Should that thread ever stop, the serving connection checkpoints for itself again.
 */
import type { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { startTsWorker } from './ts-worker';

export const DEFAULT_AUTOCHECKPOINT_PAGES = 1000;
/** How often a connection that writes without checkpointing lets the WAL start over (see restartWal). */
export const WAL_RESTART_MS = 10_000;

export function startCheckpointer(file: string, serving: Database.Database, intervalMs = 250): Worker {
  const worker = startTsWorker(new URL('./checkpoint-thread.ts', import.meta.url), { workerData: { file, intervalMs } });
  serving.pragma('wal_autocheckpoint = 0');
  const restore = () => {
    if (serving.open) serving.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT_PAGES}`);
  };
  worker.on('error', (e) => {
    console.error('[checkpoint] thread crashed:', e);
    restore();
  });
  worker.on('exit', restore);
  return worker;
}

/**
 * Lets the WAL start over. A passive checkpoint on another connection never catches up with a writer that
 * keeps appending, so the WAL would never be reset and would keep growing (to gigabytes under a long load,
 * with every page lookup slower). The writing connection calls this now and then between its
 * transactions: RESTART copies the little the checkpointer has not copied yet, waits for readers to leave
 * the WAL — briefly, `waitMs`, since writers wait meanwhile — and the next write starts the WAL over.
 * Returns whether it got that far (a long read holding on makes it give up until next time).
 */
export function restartWal(db: Database.Database, waitMs = 20): boolean {
  const before = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma(`busy_timeout = ${waitMs}`);
  try {
    const [r] = db.pragma('wal_checkpoint(RESTART)') as { busy: number }[];
    return r?.busy === 0;
  } catch {
    return false;
  } finally {
    db.pragma(`busy_timeout = ${before}`);
  }
}
