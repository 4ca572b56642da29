/**
 * Group commit for the labeling hot path. Each write transaction ends in a COMMIT that appends every page
 * it touched to the WAL; a label and a claim touch ~15 pages, mostly the same ones (the tail of the label
 * and task tables and their indexes) as the labels submitted at the same moment. Work handed to
 * `groupCommit` waits for the end of the current event-loop turn, then everything gathered runs in one
 * transaction, each piece in a savepoint of its own — a piece that throws is rolled back alone and its
 * caller gets the error — and no promise resolves before the COMMIT has succeeded. So a caller is
 * answered only once its write is as durable as with a transaction of its own, and a failed COMMIT
 * fails every piece of the group (nothing of it is stored).
 *
 * The pieces are synchronous and run back to back, so nothing else in the process can slip a write into
 * the open transaction.
 */
import type Database from 'better-sqlite3';
import type { Db, DbOrTx } from './client';

interface Piece {
  run: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Gathers what is handed over during one event-loop turn and gives it to `flush` together, at the end of
 * the turn. Used for every group on the labeling write path: here, and on both sides of the writer thread.
 */
export function perTurn<T>(flush: (batch: T[]) => void): (item: T) => void {
  let batch: T[] | null = null;
  return (item) => {
    if (!batch) {
      batch = [];
      setImmediate(() => {
        const full = batch!;
        batch = null;
        flush(full);
      });
    }
    batch.push(item);
  };
}

/** Per connection: where its pieces are gathered. */
const gatherers = new WeakMap<Database.Database, (piece: Piece) => void>();
/** Per connection: the group's savepoint statements, prepared once (a transaction wrapper per piece cost more). */
const savepoints = new WeakMap<Database.Database, { begin: Database.Statement; release: Database.Statement; undo: Database.Statement }>();

export function groupCommit<T>(db: Db, run: () => T): Promise<T> {
  const client = db.$client;
  let gather = gatherers.get(client);
  if (!gather) gatherers.set(client, (gather = perTurn((group) => flush(client, group))));
  const add = gather;
  return new Promise<T>((resolve, reject) => add({ run, resolve: resolve as (v: unknown) => void, reject }));
}

function flush(client: Database.Database, group: Piece[]): void {
  const result = commitGroup(client, group.map((p) => p.run));
  if (!result.committed) for (const piece of group) piece.reject(result.error);
  else group.forEach((piece, i) => (result.outcomes[i]!.ok ? piece.resolve(result.outcomes[i]!.value) : piece.reject(result.outcomes[i]!.value)));
}

export type GroupResult = { committed: true; outcomes: { ok: boolean; value: unknown }[] } | { committed: false; error: unknown };

/**
 * Runs the pieces in one IMMEDIATE transaction, each in a savepoint of its own, and commits: the outcome of
 * each piece (its value, or the error that rolled it back alone), or the error that failed the whole group.
 */
export function commitGroup(client: Database.Database, pieces: (() => unknown)[]): GroupResult {
  grouping.add(client);
  try {
    return commitPieces(client, pieces);
  } finally {
    grouping.delete(client);
  }
}

/** Connections running a group right now: each piece already has a savepoint of its own. */
const grouping = new WeakSet<Database.Database>();

/**
 * A write transaction for a service: IMMEDIATE on its own, or — as a piece of a group commit, which already
 * runs it in a savepoint of its own — simply the group's transaction (a second savepoint would only cost).
 */
export function writeTransaction<T>(db: Db, fn: (tx: DbOrTx) => T): T {
  if (grouping.has(db.$client)) return fn(db);
  return db.transaction(fn, { behavior: 'immediate' });
}

function commitPieces(client: Database.Database, pieces: (() => unknown)[]): GroupResult {
  let sp = savepoints.get(client);
  if (!sp) {
    sp = { begin: client.prepare('SAVEPOINT group_piece'), release: client.prepare('RELEASE group_piece'), undo: client.prepare('ROLLBACK TO group_piece') };
    savepoints.set(client, sp);
  }
  const { begin, release, undo } = sp;
  const outcomes: { ok: boolean; value: unknown }[] = [];
  try {
    client
      .transaction(() => {
        for (const run of pieces) {
          begin.run();
          try {
            outcomes.push({ ok: true, value: run() });
            release.run();
          } catch (error) {
            // Undo this piece only (ROLLBACK TO keeps the savepoint; RELEASE then closes it).
            undo.run();
            release.run();
            outcomes.push({ ok: false, value: error });
          }
        }
      })
      .immediate();
  } catch (error) {
    return { committed: false, error };
  }
  return { committed: true, outcomes };
}
