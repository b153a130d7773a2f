/**
 * A small periodic worker: runs `task` every `intervalMs`, or sooner when kicked, never twice at
 * once. Used for audit sealing and the event relay, which must follow commits closely.
 */
export class Loop {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;
  private started = false;

  constructor(
    private readonly name: string,
    private readonly task: () => Promise<unknown>,
    private readonly intervalMs: number,
    private readonly onError: (name: string, err: unknown) => void,
  ) {}

  start(): this {
    this.started = true;
    this.schedule(0);
    return this;
  }

  /** Run soon (debounced), e.g. right after a commit. */
  kick(): void {
    if (this.stopped || !this.started) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.schedule(5);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), ms);
    this.timer.unref?.();
  }

  private async tick(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = (async () => {
      try {
        await this.task();
      } catch (err) {
        this.onError(this.name, err);
      }
    })();
    await this.running;
    this.running = undefined;
    const again = this.again;
    this.again = false;
    this.schedule(again ? 5 : this.intervalMs);
  }

  /** Stops after the current run finishes. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }
}
