/**
 * Starts a worker_thread on a TypeScript file. A tiny .mjs bootstrap registers tsx's loader inside the
 * worker (Node 20 ignores loader flags in a worker's execArgv), so the same source runs under tsx, vitest
 * and `npm start` without a compile step. The entry reads its own data from `workerData.data`.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';

export function startTsWorker(file: URL, options: WorkerOptions = {}): Worker {
  const boot = new URL('./ts-worker-boot.mjs', import.meta.url);
  return new Worker(boot, { ...options, workerData: { __tsEntry: file.href, data: options.workerData } });
}
