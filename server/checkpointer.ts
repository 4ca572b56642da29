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
