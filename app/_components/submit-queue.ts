/**
 * A durable client-side submit queue (plain TypeScript, no React).
 *
 * Items are written to a Storage before anything is sent, sent one at a time in order through an injected
 * `send`, and removed only after `send` resolves. A failure is retried with capped exponential backoff; the
 * item at the head waits, so order is kept. A new queue on the same storage (a reload, a second tab) sends
 * whatever is still pending. Resending is safe because the server deduplicates by `clientId`.
 *
 * In React: `useSyncExternalStore(queue.subscribe, queue.getSnapshot, queue.getSnapshot)`.
 */

/** The part of the Web Storage API the queue uses (window.localStorage fits; tests pass MemoryStorage). */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** An in-memory Storage, for tests and for server-side rendering where there is no localStorage. */
export class MemoryStorage implements StorageLike {
  private readonly data = new Map<string, string>();
  getItem(key: string): string | null {
    return this.data.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.data.set(key, value);
  }
  removeItem(key: string): void {
    this.data.delete(key);
  }
}

export interface QueueItem {
  /** Generated in the browser (crypto.randomUUID()); the server's idempotency key. */
  clientId: string;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface SubmitQueueOptions<T extends QueueItem> {
  storage: StorageLike;
  /** Storage key, e.g. 'dagger-studio:pending-labels'. */
  key: string;
  /** Sends one item; resolves when the server has it. Rejects on any failure. */
  send: (item: T) => Promise<unknown>;
  /** First retry delay (default 500 ms); doubles per consecutive failure… */
  initialBackoffMs?: number;
  /** …up to this cap (default 30 s). */
  maxBackoffMs?: number;
  /**
   * Errors that no retry can fix (default: HTTP 4xx other than 408 and 429, read from tRPC's
   * `error.data.httpStatus` or a `status` field). Such an item is dropped and reported through `onRejected`,
   * so one bad item does not block the queue forever.
   */
  isPermanentError?: (error: unknown) => boolean;
  onSent?: (item: T, result: unknown) => void;
  onRejected?: (item: T, error: unknown) => void;
  /** Each transient failure, with the delay before the next try. */
  onRetry?: (item: T, error: unknown, attempt: number, delayMs: number) => void;
  /** Injected for tests; defaults to the global timers. */
  timers?: Timers;
  /** Start sending what the storage holds right away (default true). */
  autoStart?: boolean;
}

export interface SubmitQueueSnapshot {
  /** Items written but not yet acknowledged (including the one being sent). */
  pending: number;
  /** A send is in flight. */
  sending: boolean;
  /** Consecutive failures of the head item (0 when the last try worked). */
  failures: number;
  /** The last transient error's message, null once a send succeeds. */
  lastError: string | null;
  /** When the next retry is due (Date.now() time base), null when none is scheduled. */
  retryAt: number | null;
  /** The storage refused a write (quota, private mode): items are kept in memory only. */
  storageFailed: boolean;
}

/** The default: client errors are permanent, except timeouts and rate limits; everything else is retried. */
export function isPermanentHttpError(error: unknown): boolean {
  const e = error as { data?: { httpStatus?: unknown }; status?: unknown } | null;
  const status = typeof e?.data?.httpStatus === 'number' ? e.data.httpStatus : typeof e?.status === 'number' ? e.status : null;
  return status !== null && status >= 400 && status < 500 && status !== 408 && status !== 429;
}

export class SubmitQueue<T extends QueueItem> {
  private readonly storage: StorageLike;
  private readonly key: string;
  private readonly send: (item: T) => Promise<unknown>;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly isPermanent: (error: unknown) => boolean;
  private readonly opts: SubmitQueueOptions<T>;
  private readonly timers: Timers;
  /** In-memory mirror, used when the storage cannot be read or written. */
  private memory: T[];
  private inFlight: string | null = null;
  private failures = 0;
  private lastError: string | null = null;
  private retryAt: number | null = null;
  private timer: unknown = null;
  private storageFailed = false;
  private stopped = false;
  private running: Promise<void> | null = null;
  private readonly listeners = new Set<() => void>();
  private snapshot: SubmitQueueSnapshot;
  private idleWaiters: (() => void)[] = [];

  constructor(options: SubmitQueueOptions<T>) {
    this.opts = options;
    this.storage = options.storage;
    this.key = options.key;
    this.send = options.send;
    this.initialBackoffMs = Math.max(1, options.initialBackoffMs ?? 500);
    this.maxBackoffMs = Math.max(this.initialBackoffMs, options.maxBackoffMs ?? 30_000);
    this.isPermanent = options.isPermanentError ?? isPermanentHttpError;
    this.timers = options.timers ?? { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) };
    this.memory = this.read();
    this.snapshot = this.makeSnapshot();
    if (options.autoStart !== false) this.kick();
  }

  /** Number of items not yet acknowledged. */
  get pending(): number {
    return this.read().length;
  }

  /** The items not yet acknowledged, oldest first (a copy). */
  items(): T[] {
    return this.read();
  }

  /** Writes the item to storage (synchronously, before returning) and starts sending. Same clientId twice is a no-op. */
  enqueue(item: T): void {
    if (typeof item?.clientId !== 'string' || item.clientId === '') throw new Error('SubmitQueue.enqueue: item.clientId must be a non-empty string');
    const items = this.read();
    if (items.some((x) => x.clientId === item.clientId)) return;
    this.write([...items, item]);
    this.kick();
  }

  /**
   * Takes back an item that has not been sent yet (undo before it reached the server). Returns false when it is
   * being sent right now or is already acknowledged: the caller must then undo on the server.
   */
  remove(clientId: string): boolean {
    if (this.inFlight === clientId) return false;
    const items = this.read();
    const next = items.filter((x) => x.clientId !== clientId);
    if (next.length === items.length) return false;
    this.write(next);
    return true;
  }

  /** Sends now: cancels a pending backoff wait (call it on the `online` event or a "retry now" button). */
  flush(): Promise<void> {
    if (this.timer !== null) {
      this.timers.clearTimeout(this.timer);
      this.timer = null;
      this.retryAt = null;
    }
    this.stopped = false;
    this.kick();
    return this.running ?? Promise.resolve();
  }

  /** Resolves when nothing is pending (never, while the server keeps failing). */
  whenIdle(): Promise<void> {
    if (this.read().length === 0 && this.inFlight === null) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  /** A stable object until something changes (what useSyncExternalStore needs). */
  getSnapshot = (): SubmitQueueSnapshot => this.snapshot;

  /** Stops sending and cancels timers; stored items stay for the next queue on this storage. */
  dispose(): void {
    this.stopped = true;
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    this.retryAt = null;
    this.listeners.clear();
  }

  // ---------------------------------------------------------------------------------------------------

  private kick(): void {
    if (this.stopped || this.running || this.timer !== null) return;
    this.running = this.loop().finally(() => {
      this.running = null;
      this.changed();
    });
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      // Re-read every time: another tab may have added or sent items meanwhile.
      const head = this.read()[0];
      if (!head) return;
      this.inFlight = head.clientId;
      this.changed();
      let result: unknown;
      try {
        result = await this.send(head);
      } catch (error) {
        this.inFlight = null;
        if (this.isPermanent(error)) {
          this.drop(head.clientId);
          this.failures = 0;
          this.opts.onRejected?.(head, error);
          continue;
        }
        this.failures += 1;
        this.lastError = error instanceof Error ? error.message : String(error);
        const delay = Math.min(this.maxBackoffMs, this.initialBackoffMs * 2 ** (this.failures - 1));
        this.opts.onRetry?.(head, error, this.failures, delay);
        if (this.stopped) return;
        this.retryAt = Date.now() + delay;
        this.timer = this.timers.setTimeout(() => {
          this.timer = null;
          this.retryAt = null;
          this.kick();
        }, delay);
        this.changed();
        return;
      }
      this.inFlight = null;
      this.failures = 0;
      this.lastError = null;
      this.drop(head.clientId);
      this.opts.onSent?.(head, result);
    }
  }

  private drop(clientId: string): void {
    this.write(this.read().filter((x) => x.clientId !== clientId));
  }

  private read(): T[] {
    if (this.storageFailed) return [...this.memory];
    let raw: string | null;
    try {
      raw = this.storage.getItem(this.key);
    } catch {
      return [...this.memory];
    }
    if (raw === null) return [];
    try {
      const parsed: unknown = JSON.parse(raw);
      // Anything unreadable is skipped rather than sent: the server could not deduplicate it anyway.
      return Array.isArray(parsed) ? (parsed.filter((x) => typeof (x as QueueItem | null)?.clientId === 'string') as T[]) : [];
    } catch {
      return [];
    }
  }

  private write(items: T[]): void {
    this.memory = items;
    if (!this.storageFailed) {
      try {
        this.storage.setItem(this.key, JSON.stringify(items));
      } catch {
        // Quota exceeded or storage disabled: keep going in memory and say so in the snapshot.
        this.storageFailed = true;
      }
    }
    this.changed();
  }

  private resolveIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  private makeSnapshot(): SubmitQueueSnapshot {
    return { pending: this.read().length, sending: this.inFlight !== null, failures: this.failures, lastError: this.lastError, retryAt: this.retryAt, storageFailed: this.storageFailed };
  }

  private changed(): void {
    const next = this.makeSnapshot();
    if (next.pending === 0 && !next.sending) this.resolveIdle();
    const prev = this.snapshot;
    if (prev && next.pending === prev.pending && next.sending === prev.sending && next.failures === prev.failures && next.lastError === prev.lastError && next.retryAt === prev.retryAt && next.storageFailed === prev.storageFailed) return;
    this.snapshot = next;
    for (const l of this.listeners) l();
  }
}
