/**
 * A durable queue of label submissions: kept in localStorage until the server acknowledges them, sent in
 * order in the background with retry and exponential backoff. A reload or a network blip loses nothing,
 * and resending is safe because the server deduplicates by client id.
 */
export interface PendingLabel {
  clientId: string;
  taskId: number;
  action: number | number[];
  unsure: boolean;
  timeMs: number;
  mode: 'key' | 'click' | 'widget' | 'segment';
}

export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export class SubmitQueue {
  private items: PendingLabel[];
  private sending = false;
  private backoffMs = 0;
  private listeners = new Set<() => void>();
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly storage: StorageLike,
    private readonly key: string,
    private readonly send: (item: PendingLabel) => Promise<{ labelId: number }>,
    private readonly onAck: (item: PendingLabel, labelId: number) => void = () => {},
    private readonly onReject: (item: PendingLabel, error: Error) => void = () => {},
  ) {
    try {
      this.items = JSON.parse(storage.getItem(key) ?? '[]') as PendingLabel[];
    } catch {
      this.items = [];
    }
  }

  get pending(): number {
    return this.items.length;
  }

  subscribe(f: () => void): () => void {
    this.listeners.add(f);
    return () => this.listeners.delete(f);
  }

  enqueue(item: PendingLabel): void {
    this.items.push(item);
    this.persist();
    void this.flush();
  }

  /** Removes a label not yet sent (undo before it reached the server); true if it was still here. */
  drop(clientId: string): boolean {
    const i = this.items.findIndex((x) => x.clientId === clientId);
    if (i < 0 || (i === 0 && this.sending)) return false;
    this.items.splice(i, 1);
    this.persist();
    return true;
  }

  async flush(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    try {
      while (this.items.length > 0) {
        const item = this.items[0]!;
        try {
          const r = await this.send(item);
          this.items.shift();
          this.persist();
          this.backoffMs = 0;
          this.onAck(item, r.labelId);
        } catch (e) {
          const err = e as Error & { data?: { httpStatus?: number } };
          const status = err.data?.httpStatus;
          // A 4xx other than 429 will never succeed: report it and move on instead of blocking the queue.
          if (status && status >= 400 && status < 500 && status !== 429) {
            this.items.shift();
            this.persist();
            this.onReject(item, err);
            continue;
          }
          this.backoffMs = Math.min(10_000, this.backoffMs ? this.backoffMs * 2 : 250);
          this.timer = setTimeout(() => void this.flush(), this.backoffMs);
          return;
        }
      }
    } finally {
      this.sending = false;
      this.emit();
    }
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
  }

  private persist(): void {
    this.storage.setItem(this.key, JSON.stringify(this.items));
    this.emit();
  }

  private emit(): void {
    for (const f of this.listeners) f();
  }
}
