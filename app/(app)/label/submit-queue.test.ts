import { describe, expect, it } from 'vitest';
import { SubmitQueue, type PendingLabel } from './submit-queue';

class MemoryStorage {
  data = new Map<string, string>();
  getItem(k: string) {
    return this.data.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.data.set(k, v);
  }
}

const label = (n: number): PendingLabel => ({ clientId: `c${n}`, taskId: n, action: 1, unsure: false, timeMs: 300, mode: 'key' });
const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('durable submit queue', () => {
  it('retries through network errors, in order, and forgets only what was acknowledged', async () => {
    const storage = new MemoryStorage();
    const sent: string[] = [];
    let failures = 2;
    const acks: number[] = [];
    const q = new SubmitQueue(storage, 'k', async (item) => {
      if (failures-- > 0) throw new Error('network down');
      sent.push(item.clientId);
      return { labelId: item.taskId * 10 };
    }, (_i, id) => acks.push(id));
    q.enqueue(label(1));
    q.enqueue(label(2));
    expect(q.pending).toBe(2);
    await tick(1200);
    expect(sent).toEqual(['c1', 'c2']);
    expect(acks).toEqual([10, 20]);
    expect(q.pending).toBe(0);
    expect(JSON.parse(storage.getItem('k')!)).toEqual([]);
    q.dispose();
  });

  it('survives a reload: a new queue on the same storage resends what was pending', async () => {
    const storage = new MemoryStorage();
    const offline = new SubmitQueue(storage, 'k', () => Promise.reject(new Error('offline')));
    offline.enqueue(label(7));
    offline.dispose();
    const sent: string[] = [];
    const online = new SubmitQueue(storage, 'k', async (i) => {
      sent.push(i.clientId);
      return { labelId: 1 };
    });
    expect(online.pending).toBe(1);
    await online.flush();
    expect(sent).toEqual(['c7']);
    online.dispose();
  });

  it('drops a client error instead of blocking the queue, and can undo an unsent label', async () => {
    const storage = new MemoryStorage();
    const rejected: string[] = [];
    const q = new SubmitQueue(
      storage,
      'k',
      async (i) => {
        if (i.taskId === 1) throw Object.assign(new Error('bad action'), { data: { httpStatus: 400 } });
        return { labelId: 2 };
      },
      () => {},
      (i) => rejected.push(i.clientId),
    );
    q.enqueue(label(1));
    q.enqueue(label(2));
    await tick(20);
    expect(rejected).toEqual(['c1']);
    expect(q.pending).toBe(0);
    const paused = new SubmitQueue(new MemoryStorage(), 'k', () => new Promise(() => {}));
    paused.enqueue(label(3));
    paused.enqueue(label(4));
    expect(paused.drop('c4')).toBe(true);
    expect(paused.drop('c3')).toBe(false); // already in flight
  });
});
