/**
 * Load driver shared by the load benchmark and the server-kill test: N simulated labelers claim and submit
 * tasks over HTTP (the same tRPC endpoints the browser uses) against a running server, recording every
 * acknowledged label; `verifyLabels` then checks each acknowledged label is in the database exactly once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import Database from 'better-sqlite3';

export class Http {
  private cookie = '';
  email = '';
  constructor(readonly base: string) {}

  get sessionCookie(): string {
    return this.cookie;
  }

  async signIn(email: string, password: string): Promise<void> {
    const res = await fetch(`${this.base}/api/auth/sign-in/email`, {
      method: 'POST',
      // better-auth checks the Origin of sign-in requests (CSRF protection), as a browser sends it.
      headers: { 'content-type': 'application/json', origin: this.base },
      body: JSON.stringify({ email, password }),
    });
    if (!res.ok) throw new Error(`sign-in ${email}: ${res.status} ${await res.text()}`);
    this.cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    this.email = email;
  }

  /** Calls a tRPC procedure; throws with the server's message on an error. */
  async call<T>(proc: string, input: unknown, kind: 'query' | 'mutation' = 'mutation'): Promise<T> {
    const body = JSON.stringify({ json: input });
    const res =
      kind === 'query'
        ? await fetch(`${this.base}/api/trpc/${proc}?input=${encodeURIComponent(body)}`, { headers: { cookie: this.cookie } })
        : await fetch(`${this.base}/api/trpc/${proc}`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: this.cookie }, body });
    const json = (await res.json()) as { result?: { data?: { json?: T } }; error?: { json?: { message?: string; data?: { code?: string } } } };
    if (!res.ok || json.error) {
      const err = new Error(`${proc}: ${res.status} ${json.error?.json?.message ?? ''}`) as Error & { status: number; code?: string };
      err.status = res.status;
      err.code = json.error?.json?.data?.code;
      throw err;
    }
    return json.result?.data?.json as T;
  }
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export interface Ack {
  clientId: string;
  labelId: number;
  labeler: string;
  /** When the acknowledged request was sent (or due, when paced): performance.now() of this process. */
  at: number;
}

export interface LoadStats {
  acks: Ack[];
  /** Round trips of the batched request that submits a label and claims the next task. */
  submitMs: number[];
  /** When each of those was due (performance.now()), in the same order. */
  submitAt: number[];
  /** Round trips of a claim on its own (the first task, or after the queue was empty). */
  nextMs: number[];
  errors: string[];
  /** Requests refused because the server was down (expected during a kill test). */
  connectionErrors: number;
  /** Round trips of `task.rollout`: each labeler fetches a rollout once, as the browser caches it. */
  rolloutMs: number[];
}

export type CallResult<T = unknown> = { ok: true; data: T } | { ok: false; status: number; code?: string; message: string };

/**
 * tRPC calls as the browser's httpBatchLink sends them: mutations batched into one POST (the labeling
 * workspace submits a label and asks for the next task in the same tick), queries as GET. A minimal
 * HTTP/1.1 client on one kept-alive socket: the load generator shares the machine's two cores with the
 * server, so it should cost as little CPU as it can (Node's http client cost about 0.5 ms per request).
 */
export class BatchClient {
  /** Bytes of response bodies received by all clients (to report the payload per label). */
  static responseBytes = 0;
  private socket: net.Socket | null = null;
  private buf: Buffer = Buffer.alloc(0);
  private waiting: { resolve: (r: { status: number; body: string }) => void; reject: (e: Error) => void } | null = null;
  private readonly host: string;
  private readonly port: number;
  constructor(
    base: string,
    private readonly cookie: string,
  ) {
    const url = new URL(base);
    this.host = url.hostname;
    this.port = Number(url.port);
  }

  /** Mutations in one batched POST. */
  async call(calls: { proc: string; input: unknown }[]): Promise<CallResult[]> {
    const body = JSON.stringify(Object.fromEntries(calls.map((c, i) => [i, { json: c.input }])));
    const res = await this.request('POST', `/api/trpc/${calls.map((c) => c.proc).join(',')}?batch=1`, body);
    return parseBatch(res.status, res.body);
  }

  /** One query as a batched GET (as httpBatchLink sends a lone query). */
  async query(proc: string, input: unknown): Promise<CallResult> {
    const res = await this.request('GET', `/api/trpc/${proc}?batch=1&input=${encodeURIComponent(JSON.stringify({ 0: { json: input } }))}`);
    return parseBatch(res.status, res.body)[0]!;
  }

  private request(method: string, path: string, body?: string): Promise<{ status: number; body: string }> {
    if (this.waiting) return Promise.reject(new Error('BatchClient: one request at a time'));
    const head =
      `${method} ${path} HTTP/1.1\r\nhost: ${this.host}:${this.port}\r\ncookie: ${this.cookie}\r\nconnection: keep-alive\r\n` +
      (body === undefined ? '\r\n' : `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.connected().write(head);
    });
  }

  private connected(): net.Socket {
    if (this.socket && !this.socket.destroyed) return this.socket;
    const socket = net.connect(this.port, this.host);
    socket.setNoDelay(true);
    this.buf = Buffer.alloc(0);
    socket.on('data', (d: Buffer) => {
      this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
      this.parse();
    });
    const fail = (e: Error) => {
      if (this.socket === socket) this.socket = null;
      const w = this.waiting;
      this.waiting = null;
      w?.reject(e);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(Object.assign(new Error('other side closed'), { code: 'ECONNRESET' })));
    this.socket = socket;
    return socket;
  }

  /** Completes the waiting request once its whole response is in the buffer. */
  private parse(): void {
    const end = this.buf.indexOf('\r\n\r\n');
    if (end < 0 || !this.waiting) return;
    const head = this.buf.subarray(0, end).toString('latin1').split('\r\n');
    const status = Number(head[0]!.split(' ')[1]);
    const header = (name: string) => head.find((h) => h.slice(0, name.length + 1).toLowerCase() === `${name}:`)?.slice(name.length + 1).trim();
    let body: Buffer;
    let rest: Buffer;
    const length = header('content-length');
    if (length !== undefined) {
      if (this.buf.length < end + 4 + Number(length)) return;
      body = this.buf.subarray(end + 4, end + 4 + Number(length));
      rest = this.buf.subarray(end + 4 + Number(length));
    } else if (header('transfer-encoding')?.toLowerCase() === 'chunked') {
      const parts: Buffer[] = [];
      let at = end + 4;
      for (;;) {
        const eol = this.buf.indexOf('\r\n', at);
        if (eol < 0) return;
        const size = parseInt(this.buf.subarray(at, eol).toString('latin1'), 16);
        if (this.buf.length < eol + 2 + size + 2) return;
        if (size === 0) {
          at = eol + 4;
          break;
        }
        parts.push(this.buf.subarray(eol + 2, eol + 2 + size));
        at = eol + 2 + size + 2;
      }
      body = Buffer.concat(parts);
      rest = this.buf.subarray(at);
    } else return; // (every answer of the API has a length or is chunked)
    this.buf = rest.length ? Buffer.from(rest) : Buffer.alloc(0);
    BatchClient.responseBytes += body.length;
    const w = this.waiting;
    this.waiting = null;
    if (header('connection')?.toLowerCase() === 'close') this.socket?.destroy();
    w.resolve({ status, body: body.toString('utf8') });
  }

  close(): void {
    this.socket?.destroy();
    this.socket = null;
  }
}

function parseBatch(status: number, text: string): CallResult[] {
  const items = JSON.parse(text) as unknown;
  if (!Array.isArray(items)) throw new Error(`batch: ${status} ${text.slice(0, 200)}`);
  return (items as { result?: { data?: { json?: unknown } }; error?: { json?: { message?: string; data?: { code?: string; httpStatus?: number } } } }[]).map((it) =>
    it.error
      ? { ok: false, status: it.error.json?.data?.httpStatus ?? status, code: it.error.json?.data?.code, message: it.error.json?.message ?? 'error' }
      : { ok: true, data: it.result?.data?.json },
  );
}

export async function signInAll(base: string, labelers: { email: string; password: string }[]): Promise<Http[]> {
  const sessions: Http[] = [];
  for (const l of labelers) {
    const http = new Http(base);
    await http.signIn(l.email, l.password);
    sessions.push(http);
  }
  return sessions;
}

/** CPU time (user + system, ms) a process has used so far, from /proc (Linux); null elsewhere. */
export function processCpuMs(pid: number): number | null {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime are fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
}

export async function runLabelers(
  base: string,
  labelers: { email: string; password: string }[] | Http[],
  opts: {
    until: () => boolean;
    action: (task: { taskId: number }) => unknown;
    onAck?: (a: Ack) => void;
    /**
     * Labels per second each labeler aims for (default: as fast as answers come). Paced labelers send on
     * a fixed schedule, and a label's latency counts from when it was due, so a server that falls behind
     * cannot hide its queueing by slowing the senders down (no coordinated omission).
     */
    ratePerLabeler?: number;
  },
): Promise<LoadStats> {
  const stats: LoadStats = { acks: [], submitMs: [], submitAt: [], nextMs: [], errors: [], connectionErrors: 0, rolloutMs: [] };
  let seq = 0;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  await Promise.all(
    labelers.map(async (l, index) => {
      const interval = opts.ratePerLabeler ? 1000 / opts.ratePerLabeler : 0;
      // Labelers start spread over one interval, so paced sends do not arrive in lockstep.
      let dueAt = performance.now() + (interval * index) / labelers.length;
      let started = false;
      let session: Http;
      if (l instanceof Http) session = l;
      else {
        session = new Http(base);
        await session.signIn(l.email, l.password);
      }
      const email = session.email;
      const client = new BatchClient(base, session.sessionCookie);
      let task: { taskId: number; rolloutId?: number | null } | null = null;
      const rollouts = new Set<number>();
      /** The replay of a task's rollout, fetched once per rollout like the labeling workspace does. */
      const fetchRollout = async () => {
        if (!task?.rolloutId || rollouts.has(task.rolloutId)) return;
        const t0 = performance.now();
        const r = await client.query('task.rollout', { rolloutId: task.rolloutId });
        stats.rolloutMs.push(performance.now() - t0);
        if (r.ok) rollouts.add(task.rolloutId);
        else stats.errors.push(`task.rollout: ${r.status} ${r.message}`);
      };
      try {
        while (!opts.until() && stats.errors.length <= 100) {
          try {
            if (!task) {
              const t0 = performance.now();
              const [next] = await client.call([{ proc: 'task.next', input: {} }]);
              stats.nextMs.push(performance.now() - t0);
              if (!next!.ok) {
                stats.errors.push(`task.next: ${next!.status} ${next!.message}`);
                continue;
              }
              task = next!.data as { taskId: number } | null;
              if (!task) await sleep(50);
              else {
                await fetchRollout();
                // A paced labeler's schedule starts when it has something to label: the wait for its first
                // state is the claim's latency (counted above), not a label's.
                if (!started) dueAt = Math.max(dueAt, performance.now());
                started = true;
              }
              continue;
            }
            // Submit this task's label and claim the next in one request; retry the same client id until
            // acknowledged (idempotency makes that safe; a claim lost with a dropped connection simply expires).
            const clientId = `load-${process.pid}-${email}-${seq++}`;
            const input = { taskId: task.taskId, clientId, action: opts.action(task), timeMs: 300, mode: 'key' };
            let due = performance.now();
            if (interval) {
              const wait = dueAt - performance.now();
              if (wait > 0) await sleep(wait);
              due = dueAt;
              dueAt += interval;
            }
            for (let attempt = 0; ; attempt++) {
              try {
                const t0 = attempt === 0 ? due : performance.now();
                const [sub, next] = await client.call([
                  { proc: 'label.submit', input },
                  { proc: 'task.next', input: {} },
                ]);
                stats.submitMs.push(performance.now() - t0);
                stats.submitAt.push(t0);
                if (!sub!.ok) {
                  stats.errors.push(`label.submit: ${sub!.status} ${sub!.message}`);
                  task = null;
                } else {
                  const ack = { clientId, labelId: (sub!.data as { labelId: number }).labelId, labeler: email, at: t0 };
                  stats.acks.push(ack);
                  opts.onAck?.(ack);
                  task = next!.ok ? (next!.data as { taskId: number } | null) : null;
                  if (!next!.ok) stats.errors.push(`task.next: ${next!.status} ${next!.message}`);
                  await fetchRollout();
                }
                break;
              } catch (e) {
                if (!isConnectionError(e) || opts.until()) throw e;
                stats.connectionErrors++;
                await sleep(100 + attempt * 50);
              }
            }
          } catch (e) {
            if (isConnectionError(e)) {
              stats.connectionErrors++;
              await sleep(100);
              // The server may have restarted: the session cookie is still valid (sessions are rows).
              continue;
            }
            stats.errors.push((e as Error).message);
          }
        }
      } finally {
        client.close();
      }
    }),
  );
  return stats;
}

function isConnectionError(e: unknown): boolean {
  const msg = String((e as Error)?.message ?? '') + String((e as { cause?: { code?: string } })?.cause?.code ?? '');
  const code = String((e as { code?: string })?.code ?? '');
  return /fetch failed|ECONNREFUSED|ECONNRESET|EPIPE|UND_ERR|socket hang up|other side closed/i.test(msg + code);
}

/** Every acknowledged label is in the database exactly once, and how many leases expired unanswered (those states went back to the queue). */
export function verifyLabels(dbFile: string, acks: Ack[]) {
  const db = new Database(dbFile, { readonly: true });
  try {
    const rows = db.prepare('select client_id as clientId, id from label').all() as { clientId: string; id: number }[];
    const counts = new Map<string, number>();
    for (const r of rows) counts.set(r.clientId, (counts.get(r.clientId) ?? 0) + 1);
    const missing = acks.filter((a) => !counts.has(a.clientId)).length;
    const duplicated = [...counts.values()].filter((n) => n > 1).length;
    const idOf = new Map(rows.map((r) => [r.clientId, r.id]));
    const wrongId = acks.filter((a) => idOf.get(a.clientId) !== a.labelId).length;
    const now = Date.now();
    const stuck = (db.prepare("select count(*) as n from task where state = 'leased' and lease_expires_at < ?").get(now - 1) as { n: number }).n;
    return { acknowledged: acks.length, inDatabase: rows.length, missing, duplicated, wrongId, leasesExpiredUnanswered: stuck };
  } finally {
    db.close();
  }
}

export interface ServerHandle {
  child: ChildProcess;
  base: string;
  log: string[];
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Resolves when nothing listens on the port, else fails with a clear message (instead of load-testing whatever answers there). */
function portFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (e: NodeJS.ErrnoException) =>
      reject(new Error(e.code === 'EADDRINUSE' ? `port ${port} is already in use (another server or load test?); pass --port` : String(e))),
    );
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}

/**
 * Starts `npm start`'s script (already built) on loopback and waits until it answers. The server never
 * outlives this process: it is killed when this process exits, however it exits.
 */
export async function startServer(root: string, env: Record<string, string>, port: number): Promise<ServerHandle> {
  await portFree(port);
  const log: string[] = [];
  // One process (`node --import tsx`), so a SIGKILL really stops the server.
  // SERVER_NODE_ARGS adds Node flags to the server only, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it.
  const extra = (process.env.SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...extra, '--import', 'tsx', path.join(root, 'scripts', 'start.ts')], {
    cwd: root,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', BASE_URL: `http://127.0.0.1:${port}`, SKIP_BUILD: '1', NEXT_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const orphaned = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.on('exit', orphaned);
  child.once('exit', () => process.off('exit', orphaned));
  // SERVER_LOG=FILE also appends the server's output there (e.g. with SERVER_NODE_ARGS=--trace-gc).
  const logFile = process.env.SERVER_LOG;
  const keep = (d: Buffer) => {
    log.push(d.toString());
    if (logFile) fs.appendFileSync(logFile, d);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const base = `http://127.0.0.1:${port}`;
  const t0 = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${log.join('')}`);
    try {
      const r = await fetch(`${base}/sign-in`);
      if (r.ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() - t0 > 120_000) throw new Error(`server did not start:\n${log.join('')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    child,
    base,
    log,
    stop: (signal = 'SIGTERM') =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}
