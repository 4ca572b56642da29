/** Entry of the writer thread (see ./writer.ts): its own runtime and connection; one group commit per message. */
import { parentPort, workerData } from 'node:worker_threads';
import { commitGroup } from '@/db/group-commit';
import { restartWal } from './checkpointer';
import { toPlainError } from './errors';
import { createRuntime, type Runtime } from './runtime';
import { WRITE_OPS, type WritePiece, type WriteReply } from './writer';

const { config } = (workerData as { data: { config: Runtime['config'] } }).data;
// Migrations were applied by the process that started this thread.
const rt = createRuntime(config, { migrate: false });
// WAL checkpoints are the checkpointer thread's job (server/checkpointer.ts).
rt.db.$client.pragma('wal_autocheckpoint = 0');

let lastRestart = Date.now();

parentPort!.on('message', (msg: { id: number; pieces: WritePiece[] }) => {
  const result = commitGroup(
    rt.db.$client,
    msg.pieces.map((p) => () => (WRITE_OPS[p.op] as (rt: Runtime, user: WritePiece['user'], input: unknown) => unknown)(rt, p.user, p.input)),
  );
  const reply: WriteReply = result.committed
    ? { id: msg.id, committed: true, outcomes: result.outcomes.map((o) => (o.ok ? { ok: true, value: o.value } : { ok: false, error: toPlainError(o.value) })) }
    : { id: msg.id, committed: false, error: toPlainError(result.error) };
  parentPort!.postMessage(reply);
  // Between groups, at most once a second: let the WAL start over (see restartWal).
  if (Date.now() - lastRestart >= 1000) {
    lastRestart = Date.now();
    restartWal(rt.db.$client);
  }
});
