import { describe, expect, it } from 'vitest';
import { MemoryStorage, SubmitQueue, isPermanentHttpError, type StorageLike, type Timers } from './submit-queue';

interface Label {
  clientId: string;
  taskId: number;
  action: number;
}
const label = (n: number): Label => ({ clientId: `c${n}`, taskId: n, action: n % 3 });

/** Timers the test fires by hand, recording every delay asked for. */
class ManualTimers implements Timers {
  delays: number[] = [];
  private next = 1;
  private pending = new Map<number, () => void>();
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.delays.push(ms);
    this.pending.set(id, fn);
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  get count(): number {
    return this.pending.size;
  }
  /** Runs every timer due now. */
  fireAll(): void {
    const fns = [...this.pending.values()];
    this.pending.clear();
    for (const f of fns) f();
  }
}

/** Lets pending promise callbacks run (the queue awaits `send`). */
const settle = () => new Promise<void>((r) => setImmediate(r));

/** A fake network: rejects the first `failures` calls, then acknowledges; records what arrived, in order. */
function fakeServer(failures = 0, error: unknown = new Error('network down')) {
  const received: string[] = [];
  let calls = 0;
  let left = failures;
  const send = async (item: Label) => {
    calls++;
    if (left > 0) {
      left--;
      throw error;
    }
    received.push(item.clientId);
    return { labelId: item.taskId * 10 };
  };
  return { send, received, calls: () => calls };
}

const stored = (s: StorageLike, key = 'q') => (JSON.parse(s.getItem(key) ?? '[]') as Label[]).map((x) => x.clientId);

describe('SubmitQueue', () => {
  it('sends in order and forgets an item only after send resolved', async () => {
    const storage = new MemoryStorage();
    const resolvers: (() => void)[] = [];
    const arrived: string[] = [];
    const q = new SubmitQueue<Label>({
      storage,
      key: 'q',
      send: (item) =>
        new Promise<void>((resolve) => {
          resolvers.push(() => {
            arrived.push(item.clientId);
            resolve();
          });
        }),
    });
    q.enqueue(label(1));
    q.enqueue(label(2));
    q.enqueue(label(3));
    // Written before anything is sent; one at a time.
    expect(stored(storage)).toEqual(['c1', 'c2', 'c3']);
    await settle();
    expect(resolvers).toHaveLength(1);
    expect(q.getSnapshot()).toMatchObject({ pending: 3, sending: true });
    resolvers[0]!();
    await settle();
    expect(stored(storage)).toEqual(['c2', 'c3']);
    expect(resolvers).toHaveLength(2);
    resolvers[1]!();
    await settle();
    resolvers[2]!();
    await q.whenIdle();
    expect(arrived).toEqual(['c1', 'c2', 'c3']);
    expect(stored(storage)).toEqual([]);
    expect(q.getSnapshot()).toMatchObject({ pending: 0, sending: false });
  });

  it('retries a failing send with exponential backoff, capped, and keeps order', async () => {
    const storage = new MemoryStorage();
    const timers = new ManualTimers();
    const server = fakeServer(6);
    const retries: number[] = [];
    const q = new SubmitQueue<Label>({ storage, key: 'q', send: server.send, timers, initialBackoffMs: 100, maxBackoffMs: 1000, onRetry: (_i, _e, attempt) => retries.push(attempt) });
    q.enqueue(label(1));
    q.enqueue(label(2));
    for (let i = 0; i < 6; i++) {
      await settle();
      expect(server.received).toEqual([]);
      expect(stored(storage)).toEqual(['c1', 'c2']); // nothing lost while failing
      expect(timers.count).toBe(1);
      timers.fireAll();
    }
    await q.whenIdle();
    expect(timers.delays).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(retries).toEqual([1, 2, 3, 4, 5, 6]);
    expect(server.received).toEqual(['c1', 'c2']);
    expect(server.calls()).toBe(8);
    expect(q.getSnapshot()).toMatchObject({ pending: 0, failures: 0, lastError: null, retryAt: null });
  });

  it('reports the failure in its snapshot while waiting to retry', async () => {
    const timers = new ManualTimers();
    const q = new SubmitQueue<Label>({ storage: new MemoryStorage(), key: 'q', send: fakeServer(1).send, timers, initialBackoffMs: 250 });
    q.enqueue(label(1));
    await settle();
    const snap = q.getSnapshot();
    expect(snap).toMatchObject({ pending: 1, sending: false, failures: 1, lastError: 'network down' });
    expect(snap.retryAt).toBeTypeOf('number');
    expect(q.getSnapshot()).toBe(snap); // stable between changes (useSyncExternalStore)
    timers.fireAll();
    await q.whenIdle();
    expect(q.getSnapshot()).toMatchObject({ pending: 0, failures: 0, lastError: null });
  });

  it('survives a reload: a new queue on the same storage resends what was pending', async () => {
    const storage = new MemoryStorage();
    const timers = new ManualTimers();
    const down = fakeServer(Infinity);
    const first = new SubmitQueue<Label>({ storage, key: 'q', send: down.send, timers });
    first.enqueue(label(1));
    first.enqueue(label(2));
    await settle();
    first.dispose(); // the page goes away mid-retry
    expect(timers.count).toBe(0);
    expect(stored(storage)).toEqual(['c1', 'c2']);

    const up = fakeServer(0);
    const second = new SubmitQueue<Label>({ storage, key: 'q', send: up.send });
    expect(second.pending).toBe(2);
    await second.whenIdle();
    expect(up.received).toEqual(['c1', 'c2']);
    expect(stored(storage)).toEqual([]);
  });

  it('flush() retries at once instead of waiting out the backoff (the online event)', async () => {
    const timers = new ManualTimers();
    const server = fakeServer(1);
    const q = new SubmitQueue<Label>({ storage: new MemoryStorage(), key: 'q', send: server.send, timers, initialBackoffMs: 60_000 });
    q.enqueue(label(1));
    await settle();
    expect(timers.count).toBe(1);
    await q.flush();
    expect(timers.count).toBe(0);
    expect(server.received).toEqual(['c1']);
  });

  it('drops an item the server refuses for good (4xx) and goes on with the next', async () => {
    const rejected: string[] = [];
    const bad = Object.assign(new Error('task expired'), { data: { httpStatus: 409 } });
    const server = fakeServer(1, bad);
    const q = new SubmitQueue<Label>({ storage: new MemoryStorage(), key: 'q', send: server.send, onRejected: (i) => rejected.push(i.clientId) });
    q.enqueue(label(1));
    q.enqueue(label(2));
    await q.whenIdle();
    expect(rejected).toEqual(['c1']);
    expect(server.received).toEqual(['c2']);
  });

  it('treats 408/429/5xx and network errors as transient', () => {
    expect(isPermanentHttpError({ data: { httpStatus: 400 } })).toBe(true);
    expect(isPermanentHttpError({ data: { httpStatus: 404 } })).toBe(true);
    expect(isPermanentHttpError({ data: { httpStatus: 429 } })).toBe(false);
    expect(isPermanentHttpError({ data: { httpStatus: 408 } })).toBe(false);
    expect(isPermanentHttpError({ data: { httpStatus: 503 } })).toBe(false);
    expect(isPermanentHttpError({ status: 401 })).toBe(true);
    expect(isPermanentHttpError(new TypeError('Failed to fetch'))).toBe(false);
  });

  it('ignores a second enqueue of the same clientId', async () => {
    const storage = new MemoryStorage();
    const q = new SubmitQueue<Label>({ storage, key: 'q', send: () => new Promise(() => {}), autoStart: false });
    q.enqueue(label(1));
    q.enqueue(label(1));
    expect(q.pending).toBe(1);
    expect(() => q.enqueue({ clientId: '', taskId: 1, action: 0 })).toThrow(/clientId/);
  });

  it('remove() takes back an unsent item but not the one in flight', async () => {
    const storage = new MemoryStorage();
    const q = new SubmitQueue<Label>({ storage, key: 'q', send: () => new Promise(() => {}) });
    q.enqueue(label(1));
    q.enqueue(label(2));
    await settle();
    expect(q.remove('c1')).toBe(false); // being sent: undo must go to the server
    expect(q.remove('c2')).toBe(true);
    expect(q.remove('c2')).toBe(false);
    expect(stored(storage)).toEqual(['c1']);
  });

  it('notifies subscribers on changes and stops after unsubscribe', async () => {
    const q = new SubmitQueue<Label>({ storage: new MemoryStorage(), key: 'q', send: fakeServer(0).send });
    const seen: number[] = [];
    const off = q.subscribe(() => seen.push(q.getSnapshot().pending));
    q.enqueue(label(1));
    await q.whenIdle();
    expect(seen[0]).toBe(1);
    expect(seen.at(-1)).toBe(0);
    off();
    const n = seen.length;
    q.enqueue(label(2));
    await q.whenIdle();
    expect(seen).toHaveLength(n);
  });

  it('does not lose another tab’s items (re-reads storage before each write)', async () => {
    const storage = new MemoryStorage();
    const gate: (() => void)[] = [];
    const sentA: string[] = [];
    const a = new SubmitQueue<Label>({
      storage,
      key: 'q',
      send: (item) => new Promise<void>((r) => gate.push(() => (sentA.push(item.clientId), r()))),
    });
    const b = new SubmitQueue<Label>({ storage, key: 'q', send: () => new Promise(() => {}), autoStart: false });
    a.enqueue(label(1));
    b.enqueue(label(2)); // the other tab writes while a's send is in flight
    await settle();
    gate.shift()!();
    await settle();
    expect(stored(storage)).toEqual(['c2']);
    gate.shift()!();
    await a.whenIdle();
    expect(sentA).toEqual(['c1', 'c2']);
  });

  it('starts empty on unreadable storage and keeps working in memory when writes fail', async () => {
    const broken = new MemoryStorage();
    broken.setItem('q', '{not json');
    const server = fakeServer(0);
    const q1 = new SubmitQueue<Label>({ storage: broken, key: 'q', send: server.send, autoStart: false });
    expect(q1.pending).toBe(0);

    const full: StorageLike = {
      getItem: () => null,
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    const q2 = new SubmitQueue<Label>({ storage: full, key: 'q', send: server.send });
    q2.enqueue(label(7));
    expect(q2.getSnapshot().storageFailed).toBe(true);
    await q2.whenIdle();
    expect(server.received).toEqual(['c7']);
  });
});
