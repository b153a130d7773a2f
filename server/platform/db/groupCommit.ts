/**
 * Group commit: many requests' writes in one transaction.
 *
 * A hot write path (citizen report intake) hands its prepared item to `submit()`. Items queue up
 * while earlier batches are in flight; a free slot takes up to `maxBatch` of them at once and
 * `flush` writes them in one transaction with multi-row statements. Nothing waits on a timer: when
 * the database is idle an item is flushed at once (a batch of one), and under load the batches
 * grow by themselves, which is where one commit and one statement per table instead of one per
 * row saves most of the work.
 *
 * `flush` settles every item of its batch: it returns, per item, either the result or `retry`
 * (the item could not be written in the batch, e.g. its idempotency key was taken, and must go the
 * one-by-one way). When `flush` throws, the whole batch is handed to `single` one item at a time,
 * so one bad item never fails its neighbours and every caller gets its own answer or error.
 */
export interface GroupCommitOptions<T, R> {
  /** Writes a batch; returns one outcome per item, in order. */
  flush(items: T[]): Promise<Array<{ ok: R } | 'retry'>>;
  /** Writes one item the ordinary way (own transaction); its error goes to that item's caller. */
  single(item: T): Promise<R>;
  /** Items per batch. */
  maxBatch?: number;
  /** Batches in flight at once (database connections used). */
  concurrency?: number;
  /**
   * Items with the same key never share a batch (e.g. an idempotency key): the later one waits for
   * a later batch, where it sees the earlier one's outcome.
   */
  keyOf?(item: T): string | null;
  /**
   * A batch failed as a whole (its items go one by one). Expected never to happen: log it, as a
   * batch path that always fails would only show as a slower one.
   */
  onFlushError?(error: unknown): void;
  /** Called after every batch written with the number of items it held (metrics, afterCommit). */
  afterBatch?(written: number): void;
}

interface Pending<T, R> {
  item: T;
  resolve(r: R): void;
  reject(e: unknown): void;
}

export class GroupCommitter<T, R> {
  private readonly queue: Pending<T, R>[] = [];
  private inFlight = 0;
  private readonly maxBatch: number;
  private readonly concurrency: number;

  constructor(private readonly opts: GroupCommitOptions<T, R>) {
    this.maxBatch = opts.maxBatch ?? 64;
    this.concurrency = opts.concurrency ?? 2;
  }

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.pump();
    });
  }

  /** Items waiting for a slot (for tests and metrics). */
  get waiting(): number {
    return this.queue.length;
  }

  private pump(): void {
    while (this.inFlight < this.concurrency && this.queue.length > 0) {
      const batch = this.take();
      this.inFlight++;
      void this.run(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  /** Up to maxBatch items from the head of the queue, skipping items whose key is already taken. */
  private take(): Pending<T, R>[] {
    const batch: Pending<T, R>[] = [];
    const keys = new Set<string>();
    const rest: Pending<T, R>[] = [];
    while (this.queue.length > 0 && batch.length < this.maxBatch) {
      const p = this.queue.shift()!;
      const key = this.opts.keyOf?.(p.item) ?? null;
      if (key !== null && keys.has(key)) {
        rest.push(p);
        continue;
      }
      if (key !== null) keys.add(key);
      batch.push(p);
    }
    this.queue.unshift(...rest);
    return batch;
  }

  private async run(batch: Pending<T, R>[]): Promise<void> {
    let outcomes: Array<{ ok: R } | 'retry'>;
    try {
      outcomes = await this.opts.flush(batch.map((p) => p.item));
      if (outcomes.length !== batch.length) throw new Error(`group commit: ${outcomes.length} outcomes for ${batch.length} items`);
    } catch (e) {
      this.opts.onFlushError?.(e);
      outcomes = batch.map(() => 'retry');
    }
    let written = 0;
    const retries: Pending<T, R>[] = [];
    outcomes.forEach((o, i) => {
      if (o === 'retry') retries.push(batch[i]!);
      else {
        written++;
        batch[i]!.resolve(o.ok);
      }
    });
    if (written > 0) this.opts.afterBatch?.(written);
    for (const p of retries) {
      try {
        p.resolve(await this.opts.single(p.item));
      } catch (e) {
        p.reject(e);
      }
    }
  }
}
