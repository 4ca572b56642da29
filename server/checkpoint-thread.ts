/** Entry of the WAL checkpointer thread (see ./checkpointer.ts): its own connection, a passive checkpoint now and then. */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const { file, intervalMs } = (workerData as { data: { file: string; intervalMs: number } }).data;
const db = new Database(file);
db.pragma('busy_timeout = 5000');
const timer = setInterval(() => {
  try {
    // PASSIVE: copies what it can without waiting for or blocking readers and writers.
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (e) {
    console.error('[checkpoint] failed:', (e as Error).message);
  }
}, intervalMs);
parentPort?.postMessage('ready');
parentPort?.on('message', (msg) => {
  if (msg !== 'stop') return;
  clearInterval(timer);
  db.close();
  process.exit(0);
});
