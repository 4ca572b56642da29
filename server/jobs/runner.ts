/**
 * The worker loop: claim a job, run its handler with a progress reporter that also renews the lease,
 * complete or fail it, repeat. Runs in a worker_thread of the web server by default, or as its own
 * process (`npm run worker`). Several workers may run at once; the database arbitrates.
 */
import os from 'node:os';
import type { Runtime } from '../runtime';
import { claimJob, completeJob, failJob, reportProgress, type JobRow } from './queue';

export interface JobContext {
  runtime: Runtime;
  job: JobRow;
  /** Reports progress and renews the lease; throws LeaseLostError if another worker took the job. */
  progress(p: { fraction?: number; message?: string; detail?: unknown }): void;
  signal: AbortSignal;
}

export type JobHandler = (payload: unknown, ctx: JobContext) => Promise<unknown>;
export type JobHandlers = Record<string, JobHandler>;

export class LeaseLostError extends Error {
  override name = 'LeaseLostError';
}

export interface RunnerOptions {
  runtime: Runtime;
  handlers: JobHandlers;
  leaseMs?: number;
  pollMs?: number;
  owner?: string;
  log?: (msg: string) => void;
}

export class JobRunner {
  readonly owner: string;
  private stopped = false;
  private idle: (() => void) | null = null;
  private readonly abort = new AbortController();
  private loopDone: Promise<void> | null = null;

  constructor(private readonly opts: RunnerOptions) {
    this.owner = opts.owner ?? `${os.hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  }

  start(): void {
    this.loopDone ??= this.loop();
  }

  /** Stops after the current job (or at once when idle). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    this.idle?.();
    await this.loopDone;
  }

  /** Runs jobs until none is runnable (for tests and the CLI). Returns how many ran. */
  async drain(): Promise<number> {
    let n = 0;
    while (await this.runOne()) n++;
    return n;
  }

  private async loop(): Promise<void> {
    const poll = this.opts.pollMs ?? 250;
    while (!this.stopped) {
      const ran = await this.runOne().catch((e) => {
        this.opts.log?.(`[worker] ${String(e)}`);
        return false;
      });
      if (!ran && !this.stopped) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, poll);
          this.idle = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.idle = null;
      }
    }
  }

  /** Claims and runs one job; false when nothing was runnable. */
  async runOne(): Promise<boolean> {
    const { runtime, handlers } = this.opts;
    const leaseMs = this.opts.leaseMs ?? runtime.config.JOB_LEASE_MS;
    const job = claimJob(runtime.db, this.owner, leaseMs, Object.keys(handlers));
    if (!job) return false;
    const handler = handlers[job.type];
    const log = this.opts.log ?? (() => {});
    log(`[worker] job ${job.id} ${job.type} (attempt ${job.attempts})`);
    const ctx: JobContext = {
      runtime,
      job,
      signal: this.abort.signal,
      progress: (p) => {
        if (!reportProgress(runtime.db, job.id, this.owner, leaseMs, p)) {
          throw new LeaseLostError(`job ${job.id}: lease lost to another worker`);
        }
      },
    };
    // Renew the lease while the handler works, even between progress reports.
    const renew = setInterval(() => reportProgress(runtime.db, job.id, this.owner, leaseMs, {}), Math.max(250, leaseMs / 3));
    try {
      if (!handler) throw new Error(`no handler for job type ${job.type}`);
      const result = await handler(job.payload, ctx);
      completeJob(runtime.db, job.id, this.owner, result ?? null);
      log(`[worker] job ${job.id} done`);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      if (!(e instanceof LeaseLostError)) failJob(runtime.db, job.id, this.owner, msg);
      log(`[worker] job ${job.id} failed: ${msg}`);
    } finally {
      clearInterval(renew);
    }
    return true;
  }
}
