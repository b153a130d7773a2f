/** One Server-Sent Events block: an event, an `id:`-only block, or comments (heartbeats). */
export interface SseMessage {
  id?: string;
  event?: string;
  data?: string;
  comments: string[];
  /** When the block arrived (performance.now()). */
  at: number;
}

/**
 * A test client for event streams that reads the body of a real fetch() (what a browser's
 * EventSource receives), parsing blocks as they arrive.
 */
export class SseClient {
  readonly messages: SseMessage[] = [];
  ended = false;
  private buffer = '';
  private waiters: { pred: (m: SseMessage) => boolean; resolve: (m: SseMessage) => void }[] = [];
  private endWaiters: (() => void)[] = [];

  private constructor(
    readonly response: Response,
    private readonly abort: AbortController,
  ) {}

  static async open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const abort = new AbortController();
    const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
    const client = new SseClient(response, abort);
    if (response.ok && response.body) void client.read(response.body);
    return client;
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
        this.buffer += decoder.decode(chunk, { stream: true });
        let i: number;
        while ((i = this.buffer.indexOf('\n\n')) >= 0) {
          const block = this.buffer.slice(0, i);
          this.buffer = this.buffer.slice(i + 2);
          this.push(block);
        }
      }
    } catch {
      /* aborted */
    }
    this.ended = true;
    for (const w of this.endWaiters.splice(0)) w();
  }

  private push(block: string): void {
    const m: SseMessage = { comments: [], at: performance.now() };
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) m.comments.push(line.slice(1).trim());
      else {
        const c = line.indexOf(':');
        const field = c < 0 ? line : line.slice(0, c);
        const value = c < 0 ? '' : line.slice(c + 1).replace(/^ /, '');
        if (field === 'id') m.id = value;
        else if (field === 'event') m.event = value;
        else if (field === 'data') m.data = m.data === undefined ? value : `${m.data}\n${value}`;
      }
    }
    this.messages.push(m);
    this.waiters = this.waiters.filter((w) => {
      if (!w.pred(m)) return true;
      w.resolve(m);
      return false;
    });
  }

  /** Events (blocks with an `event:` or `data:`), optionally of one type. */
  events(type?: string): (SseMessage & { json: any })[] {
    return this.messages
      .filter((m) => m.data !== undefined && (type === undefined || m.event === type))
      .map((m) => ({ ...m, json: JSON.parse(m.data!) }));
  }

  /** Resolves with the first block (already received or coming) that matches, or rejects after timeoutMs. */
  waitFor(pred: (m: SseMessage) => boolean, timeoutMs = 3_000): Promise<SseMessage> {
    const found = this.messages.find(pred);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching SSE message within ${timeoutMs} ms; got ${JSON.stringify(this.messages)}`)), timeoutMs);
      this.waiters.push({
        pred,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      });
    });
  }

  waitForEvent(type: string, pred: (data: any) => boolean = () => true, timeoutMs = 3_000): Promise<SseMessage & { json: any }> {
    return this.waitFor((m) => m.event === type && pred(JSON.parse(m.data ?? 'null')), timeoutMs).then((m) => ({ ...m, json: JSON.parse(m.data!) }));
  }

  /** Resolves when the server ends the stream. */
  waitForEnd(timeoutMs = 3_000): Promise<void> {
    if (this.ended) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('stream did not end')), timeoutMs);
      this.endWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** The last `id:` the server sent: what a browser would send back as Last-Event-ID. */
  lastEventId(): string | undefined {
    for (let i = this.messages.length - 1; i >= 0; i--) if (this.messages[i].id !== undefined) return this.messages[i].id;
    return undefined;
  }

  close(): void {
    this.abort.abort();
  }
}

/** Signs in over HTTP and returns the cookie header and CSRF token. */
export async function httpLogin(baseUrl: string, login: string, password: string, tenantPrefix = ''): Promise<{ cookie: string; csrf: string; userId: string }> {
  const res = await fetch(`${baseUrl}${tenantPrefix}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login, password }),
  });
  if (res.status !== 200) throw new Error(`login ${login}: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { csrfToken: string; userId: string };
  const cookie = res.headers.getSetCookie()[0].split(';')[0];
  return { cookie, csrf: body.csrfToken, userId: body.userId };
}
