/**
 * The labelers' writes — claim a task, submit a label, skip, undo, claim a segment — on a thread of their
 * own under `npm start`. The request thread parses HTTP, checks sessions, roles and rate limits and
 * validates input; the writer thread owns a database connection and runs the writes, in groups: what the
 * request thread gathers in one event-loop turn goes over in one message, and the messages that reach the
 * writer while it commits are committed together next, in one transaction (db/group-commit.ts). Each
 * answer comes back only after its COMMIT. The two threads run on two cores, so the request thread is free
 * to read the next requests while the writer commits.
 *
 * Without a writer thread (tests, `next dev`, or if the thread ever dies) `runWrite` does the same group
 * commit on the caller's own connection.
 */
import { Worker } from 'node:worker_threads';
import { groupCommit, perTurn } from '@/db/group-commit';
import type { SessionUser } from './auth';
import { restartWal, WAL_RESTART_MS } from './checkpointer';
import { fromPlainError, type PlainError } from './errors';
import type { Runtime } from './runtime';
import { claimSegment } from './services/claim-segment';
import { claimTask } from './services/claim-task';
import { skipTask, submitLabel } from './services/submit-label';
import { undoLabel } from './services/undo-label';
import { startTsWorker } from './ts-worker';

/** The writes a labeler makes, by name: the same service functions on either thread. */
export const WRITE_OPS = { claimTask, submitLabel, skipTask, undoLabel, claimSegment };
export type WriteOp = keyof typeof WRITE_OPS;
type Input<K extends WriteOp> = Parameters<(typeof WRITE_OPS)[K]>[2];
type Output<K extends WriteOp> = ReturnType<(typeof WRITE_OPS)[K]>;

/** One write sent to the writer thread. */
export interface WritePiece {
  op: WriteOp;
  user: SessionUser;
  input: unknown;
}
/** The writer thread's answer to one message: every piece's outcome, or the error that failed the group. */
export type WriteReply = { id: number; committed: true; outcomes: ({ ok: true; value: unknown } | { ok: false; error: PlainError })[] } | { id: number; committed: false; error: PlainError };

interface Waiting {
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

export class WriterThread {
  private nextId = 1;
  /** What the request thread hands over in one event-loop turn goes to the writer in one message. */
  private readonly gather = perTurn<{ piece: WritePiece; waiting: Waiting }>((batch) => this.send(batch));
  private readonly inFlight = new Map<number, Waiting[]>();
  private alive = true;
  private stopping = false;
  private restarter: NodeJS.Timeout | null = null;
  private restarts = 0;

  constructor(
    private readonly worker: Worker,
    private readonly fallback: Runtime,
    /** How often the fallback restarts the WAL once it writes alone (the writer thread did it between groups). */
    private readonly walRestartMs = WAL_RESTART_MS,
  ) {
    worker.on('message', (reply: WriteReply) => this.settle(reply));
    worker.on('error', (e) => this.shutDown(e));
    worker.on('exit', (code) => this.shutDown(`exit code ${code}`));
  }

  private shutDown(why: unknown): void {
    if (!this.alive) return;
    this.alive = false;
    if (!this.stopping) {
      console.error('[writer] thread stopped; writes now run on the request thread:', why);
      // This connection does not checkpoint by itself (the checkpointer thread does, passively), and a
      // passive checkpoint never lets the WAL start over under steady writes: restart it now and then, as
      // the writer thread did. A timer runs between event-loop turns, so never inside a group's transaction.
      this.restarter = setInterval(() => {
        if (restartWal(this.fallback.db.$client)) this.restarts++;
      }, this.walRestartMs);
      this.restarter.unref();
    }
    // What was in flight may or may not have committed: the callers get an error and retry (submissions
    // are idempotent by client id; a lost claim's lease simply expires).
    const err = new Error('The writer stopped; try again');
    for (const waiting of this.inFlight.values()) for (const w of waiting) w.reject(err);
    this.inFlight.clear();
  }

  get running(): boolean {
    return this.alive;
  }

  /** WAL restarts made by the request thread since the writer thread stopped. */
  get walRestarts(): number {
    return this.restarts;
  }

  call<K extends WriteOp>(op: K, user: SessionUser, input: Input<K>): Promise<Output<K>> {
    if (!this.alive) return runLocally(this.fallback, op, user, input);
    return new Promise((resolve, reject) =>
      this.gather({ piece: { op, user: { id: user.id, email: user.email, name: user.name, role: user.role }, input }, waiting: { resolve: resolve as (v: unknown) => void, reject } }),
    );
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.restarter) clearInterval(this.restarter);
    await this.worker.terminate();
    this.shutDown('stopped');
  }

  private send(batch: { piece: WritePiece; waiting: Waiting }[]): void {
    if (!this.alive) {
      for (const { piece: p, waiting: w } of batch) runLocally(this.fallback, p.op, p.user, p.input as never).then(w.resolve, w.reject);
      return;
    }
    const id = this.nextId++;
    this.inFlight.set(id, batch.map((b) => b.waiting));
    this.worker.postMessage({ id, pieces: batch.map((b) => b.piece) });
  }

  private settle(reply: WriteReply): void {
    const waiting = this.inFlight.get(reply.id);
    if (!waiting) return;
    this.inFlight.delete(reply.id);
    if (!reply.committed) {
      const err = fromPlainError(reply.error);
      for (const w of waiting) w.reject(err);
      return;
    }
    reply.outcomes.forEach((o, i) => (o.ok ? waiting[i]!.resolve(o.value) : waiting[i]!.reject(fromPlainError(o.error))));
  }
}

function runLocally<K extends WriteOp>(rt: Runtime, op: K, user: SessionUser, input: Input<K>): Promise<Output<K>> {
  return groupCommit(rt.db, () => (WRITE_OPS[op] as (rt: Runtime, user: SessionUser, input: Input<K>) => Output<K>)(rt, user, input));
}

/** Runs a labeler's write on the runtime's writer thread if it has one, else on this thread (group commit). */
export function runWrite<K extends WriteOp>(rt: Runtime, op: K, user: SessionUser, input: Input<K>): Promise<Output<K>> {
  return rt.writer ? rt.writer.call(op, user, input) : runLocally(rt, op, user, input);
}

/** Starts the writer thread for a runtime (its own connection to the same database). */
export function startWriter(rt: Runtime, opts: { walRestartMs?: number } = {}): WriterThread {
  const worker = startTsWorker(new URL('./writer-thread.ts', import.meta.url), { workerData: { config: rt.config } });
  const writer = new WriterThread(worker, rt, opts.walRestartMs);
  rt.writer = writer;
  return writer;
}
