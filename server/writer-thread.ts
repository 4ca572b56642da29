/** Entry of the writer thread (see ./writer.ts): its own runtime and connection; group commits of what the request thread sends. */
import { parentPort, workerData } from 'node:worker_threads';
import { commitGroup, perTurn } from '@/db/group-commit';
import { restartWal, WAL_RESTART_MS } from './checkpointer';
import { toPlainError } from './errors';
import { createRuntime, type Runtime } from './runtime';
import { WRITE_OPS, type WritePiece, type WriteReply } from './writer';

const { config } = (workerData as { data: { config: Runtime['config'] } }).data;
// Migrations were applied by the process that started this thread.
const rt = createRuntime(config, { migrate: false });
// WAL checkpoints are the checkpointer thread's job (server/checkpointer.ts).
rt.db.$client.pragma('wal_autocheckpoint = 0');

let lastRestart = Date.now();

// Messages that arrive while a group commits are committed together next: under load the groups grow
// (fewer COMMITs per label) instead of queueing one transaction per message.
parentPort!.on('message', perTurn(commitMessages));

function commitMessages(messages: { id: number; pieces: WritePiece[] }[]): void {
  const result = commitGroup(
    rt.db.$client,
    messages.flatMap((m) => m.pieces.map((p) => () => (WRITE_OPS[p.op] as (rt: Runtime, user: WritePiece['user'], input: unknown) => unknown)(rt, p.user, p.input))),
  );
  let at = 0;
  for (const m of messages) {
    const reply: WriteReply = result.committed
      ? { id: m.id, committed: true, outcomes: result.outcomes.slice(at, at + m.pieces.length).map((o) => (o.ok ? { ok: true, value: o.value } : { ok: false, error: toPlainError(o.value) })) }
      : { id: m.id, committed: false, error: toPlainError(result.error) };
    at += m.pieces.length;
    parentPort!.postMessage(reply);
  }
  // Between groups, every WAL_RESTART_MS: let the WAL start over (see restartWal). Not more often: a restart
  // waits for readers to leave the WAL, and the group after it waits for the restart.
  if (Date.now() - lastRestart >= WAL_RESTART_MS) {
    lastRestart = Date.now();
    restartWal(rt.db.$client);
  }
}
