/**
 * Load driver shared by the load benchmark and the server-kill test: N simulated labelers claim and submit
 * tasks over HTTP (the same tRPC endpoints the browser uses) against a running server, recording every
 * acknowledged label; `verifyLabels` then checks each acknowledged label is in the database exactly once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';

export class Http {
  private cookie = '';
  constructor(readonly base: string) {}

  async signIn(email: string, password: string): Promise<void> {
    const res = await fetch(`${this.base}/api/auth/sign-in/email`, {
      method: 'POST',
      // better-auth checks the Origin of sign-in requests (CSRF protection), as a browser sends it.
      headers: { 'content-type': 'application/json', origin: this.base },
      body: JSON.stringify({ email, password }),
    });
    if (!res.ok) throw new Error(`sign-in ${email}: ${res.status} ${await res.text()}`);
    this.cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
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
}

export interface LoadStats {
  acks: Ack[];
  submitMs: number[];
  nextMs: number[];
  errors: string[];
  /** Requests refused because the server was down (expected during a kill test). */
  connectionErrors: number;
}

/** Runs labelers until `until()` says stop. Each gives the action 0 (or the box's lower corner). */
export async function runLabelers(
  base: string,
  labelers: { email: string; password: string }[],
  opts: { until: () => boolean; action: (task: { taskId: number }) => unknown; onAck?: (a: Ack) => void },
): Promise<LoadStats> {
  const stats: LoadStats = { acks: [], submitMs: [], nextMs: [], errors: [], connectionErrors: 0 };
  let seq = 0;
  await Promise.all(
    labelers.map(async (l) => {
      const http = new Http(base);
      await http.signIn(l.email, l.password);
      while (!opts.until()) {
        try {
          let t0 = performance.now();
          const task = await http.call<{ taskId: number } | null>('task.next', {});
          stats.nextMs.push(performance.now() - t0);
          if (!task) {
            await new Promise((r) => setTimeout(r, 50));
            continue;
          }
          const clientId = `load-${process.pid}-${l.email}-${seq++}`;
          const input = { taskId: task.taskId, clientId, action: opts.action(task), timeMs: 300, mode: 'key' };
          // Retry the same client id until acknowledged: idempotency makes this safe.
          for (let attempt = 0; ; attempt++) {
            try {
              t0 = performance.now();
              const r = await http.call<{ labelId: number }>('label.submit', input);
              stats.submitMs.push(performance.now() - t0);
              const ack = { clientId, labelId: r.labelId, labeler: l.email };
              stats.acks.push(ack);
              opts.onAck?.(ack);
              break;
            } catch (e) {
              if (isConnectionError(e) && !opts.until()) {
                stats.connectionErrors++;
                await new Promise((r) => setTimeout(r, 100 + attempt * 50));
                continue;
              }
              throw e;
            }
          }
        } catch (e) {
          if (isConnectionError(e)) {
            stats.connectionErrors++;
            await new Promise((r) => setTimeout(r, 100));
            if (opts.until()) break;
            // The server may have restarted: the session cookie is still valid (sessions are rows).
            continue;
          }
          stats.errors.push((e as Error).message);
          if (stats.errors.length > 100) break;
        }
      }
    }),
  );
  return stats;
}

function isConnectionError(e: unknown): boolean {
  const msg = String((e as Error)?.message ?? '') + String((e as { cause?: { code?: string } })?.cause?.code ?? '');
  return /fetch failed|ECONNREFUSED|ECONNRESET|UND_ERR|socket hang up|other side closed/i.test(msg);
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
    const wrongId = acks.filter((a) => !rows.some((r) => r.id === a.labelId && r.clientId === a.clientId)).length;
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

/** Starts `npm start`'s script (already built) on loopback and waits until it answers. */
export async function startServer(root: string, env: Record<string, string>, port: number): Promise<ServerHandle> {
  const log: string[] = [];
  // One process (`node --import tsx`), so a SIGKILL really stops the server.
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'scripts', 'start.ts')], {
    cwd: root,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', BASE_URL: `http://127.0.0.1:${port}`, SKIP_BUILD: '1', NEXT_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => log.push(d.toString()));
  child.stderr!.on('data', (d: Buffer) => log.push(d.toString()));
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
