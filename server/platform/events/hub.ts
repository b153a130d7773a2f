import type { ServerResponse } from 'node:http';
import type { Database } from '../../db/client.js';
import { Loop } from '../jobs/loop.js';
import { EVENTS_CHANNEL, lastPosition } from './relay.js';
import { type EventViewer, isEventVisible, isPublicEvent } from './visibility.js';
import { type DomainEvent, EVENT_COLUMNS, toDomainEvent } from './write.js';

/** Events read per query, live and on replay. */
const PAGE = 500;
/** A client resuming from further back than this many events of its tenant gets `event: reset`. */
export const MAX_REPLAY = 5_000;
/** A client whose unsent output exceeds this is dropped rather than buffered without bound. */
const MAX_BUFFERED_BYTES = 1024 * 1024;
/** Safety poll when a NOTIFY was missed (e.g. while the LISTEN connection reconnected). */
const POLL_MS = 2_000;
/** Streams per process, per signed-in user, and per IP address on the public stream. */
export const STREAM_LIMITS = { total: 5_000, perUser: 10, publicPerIp: 20 };

export interface StreamClientInit {
  res: ServerResponse;
  tenantId: string;
  /** The signed-in viewer; absent on the public stream. */
  viewer?: EventViewer;
  /** Public stream: only events of this topic. */
  topic?: string;
  ip?: string;
  /** Re-checks the viewer (session still valid, grants now); null ends the stream. */
  reauthenticate?: () => Promise<EventViewer | null>;
}

export type RefusalReason = 'closing' | 'total' | 'user' | 'ip';
export type AttachResult = { ok: true; client: StreamClient } | { ok: false; reason: RefusalReason };

/** One open SSE response. */
export class StreamClient {
  cursor = 0;
  sentId = 0;
  closed = false;
  lastAuthAt = Date.now();
  replayed = 0;
  private onClosed: (() => void)[] = [];

  constructor(readonly init: StreamClientInit) {
    init.res.on('close', () => this.close());
  }

  get viewer(): EventViewer | undefined {
    return this.init.viewer;
  }

  /** Writes, or drops the client when it does not keep up. */
  write(chunk: string): void {
    if (this.closed) return;
    const res = this.init.res;
    res.write(chunk);
    if (res.writableLength > MAX_BUFFERED_BYTES) {
      this.close();
      res.destroy();
    }
  }

  visible(event: DomainEvent, unitPath: readonly string[] | null): boolean {
    const { viewer, tenantId, topic } = this.init;
    return viewer ? isEventVisible(event, viewer, unitPath) : isPublicEvent(event, tenantId, topic);
  }

  /** Sends the event when it is newer than the client's cursor and the client may see it. */
  deliver(event: DomainEvent, unitPath: readonly string[] | null): void {
    if (event.position <= this.cursor || this.closed) return;
    this.cursor = event.position;
    if (!this.visible(event, unitPath)) return;
    const data = {
      id: event.id,
      type: event.type,
      aggregateType: event.aggregateType,
      aggregateId: event.aggregateId,
      unitId: event.unitId,
      occurredAt: event.occurredAt.toISOString(),
      payload: event.payload,
    };
    this.sentId = event.position;
    this.write(`id: ${event.position}\nevent: ${event.type}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  /** A comment keeps proxies from closing the stream; `id:` moves the browser's resume point past invisible events. */
  heartbeat(): void {
    const id = this.cursor > this.sentId ? `id: ${this.cursor}\n` : '';
    if (id) this.sentId = this.cursor;
    this.write(`: heartbeat\n${id}\n`);
  }

  onClose(fn: () => void): void {
    if (this.closed) fn();
    else this.onClosed.push(fn);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    const res = this.init.res;
    if (!res.writableEnded) res.end();
    for (const fn of this.onClosed.splice(0)) fn();
  }
}

/**
 * The process's subscriber to relayed domain events. It LISTENs on `balai_events`, reads events
 * with a position above the last one it has seen (one query for all streams of the process), and
 * hands each to every open stream, which checks visibility. Streams that resume with
 * Last-Event-ID first replay their tenant's events from the database, then go live without a gap.
 */
export class EventHub {
  private lastSeen = 0;
  private readonly clients = new Set<StreamClient>();
  private started?: Promise<void>;
  private unlisten?: () => Promise<void>;
  private heartbeatTimer?: NodeJS.Timeout;
  private closing = false;
  private readonly poller: Loop;

  constructor(
    private readonly db: Database,
    private readonly opts: { heartbeatMs: number; reauthMs?: number; onError: (err: unknown) => void },
  ) {
    this.poller = new Loop('event-subscriber', () => this.pull(), POLL_MS, (_n, err) => opts.onError(err));
  }

  get size(): number {
    return this.clients.size;
  }

  /** Starts listening (once, on the first stream). */
  start(): Promise<void> {
    this.started ??= (async () => {
      this.lastSeen = await lastPosition(this.db);
      this.unlisten = await this.db.listen(EVENTS_CHANNEL, () => this.poller.kick());
      this.poller.start();
      this.heartbeatTimer = setInterval(() => this.beat(), this.opts.heartbeatMs);
      this.heartbeatTimer.unref();
    })();
    return this.started;
  }

  /** Opens a stream: replays from `from` (a Last-Event-ID) when given, then delivers live. */
  async attach(init: StreamClientInit, from: number | null): Promise<AttachResult> {
    const refused = this.refusal(init);
    if (refused) return { ok: false, reason: refused };
    await this.start();
    const client = new StreamClient(init);
    client.cursor = from === null ? this.lastSeen : Math.min(from, this.lastSeen);
    // Catch up from the database until the client's cursor meets the live position. The last check
    // and the registration happen without an await between them, so no live batch falls between.
    while (client.cursor < this.lastSeen && !client.closed) {
      const upto = this.lastSeen;
      const rows = await this.db.query(
        `SELECT ${EVENT_COLUMNS} FROM domain_events
          WHERE tenant_id = $1 AND position > $2 AND position <= $3
          ORDER BY position LIMIT ${PAGE}`,
        [init.tenantId, client.cursor, upto],
      );
      const events = rows.map(toDomainEvent);
      const paths = await this.unitPaths(events);
      for (const e of events) client.deliver(e, e.unitId ? (paths.get(`${e.tenantId}:${e.unitId}`) ?? null) : null);
      client.cursor = events.length < PAGE ? upto : events[events.length - 1].position;
      client.replayed += events.length;
      if (client.replayed >= MAX_REPLAY && client.cursor < this.lastSeen) {
        // Too far behind: tell the page to reload its data, and continue live.
        client.cursor = this.lastSeen;
        client.write('event: reset\ndata: {}\n\n');
      }
    }
    if (this.closing) client.close();
    if (client.closed) return { ok: true, client };
    this.clients.add(client);
    client.onClose(() => this.clients.delete(client));
    client.sentId = client.cursor;
    client.write(`id: ${client.cursor}\n\n`);
    return { ok: true, client };
  }

  /** Why a new stream would be refused now, if it would. */
  refusal(init: Omit<StreamClientInit, 'res'>): RefusalReason | null {
    if (this.closing) return 'closing';
    if (this.clients.size >= STREAM_LIMITS.total) return 'total';
    if (init.viewer && this.count((c) => c.viewer?.userId === init.viewer!.userId) >= STREAM_LIMITS.perUser) return 'user';
    if (!init.viewer && init.ip && this.count((c) => !c.viewer && c.init.ip === init.ip) >= STREAM_LIMITS.publicPerIp) return 'ip';
    return null;
  }

  private count(pred: (c: StreamClient) => boolean): number {
    let n = 0;
    for (const c of this.clients) if (pred(c)) n++;
    return n;
  }

  /** Reads newly relayed events and hands them to every open stream. */
  private async pull(): Promise<void> {
    for (;;) {
      if (this.clients.size === 0) {
        this.lastSeen = Math.max(this.lastSeen, await lastPosition(this.db));
        return;
      }
      const rows = await this.db.query(`SELECT ${EVENT_COLUMNS} FROM domain_events WHERE position > $1 ORDER BY position LIMIT ${PAGE}`, [this.lastSeen]);
      if (rows.length === 0) return;
      const events = rows.map(toDomainEvent);
      const paths = await this.unitPaths(events);
      for (const e of events) {
        const path = e.unitId ? (paths.get(`${e.tenantId}:${e.unitId}`) ?? null) : null;
        for (const c of this.clients) c.deliver(e, path);
      }
      this.lastSeen = events[events.length - 1].position;
      if (rows.length < PAGE) return;
    }
  }

  /** Paths (root … unit) of the units the events concern, keyed `tenantId:unitId`. */
  private async unitPaths(events: DomainEvent[]): Promise<Map<string, string[]>> {
    const keys = new Map<string, { t: string; u: string }>();
    for (const e of events) if (e.unitId) keys.set(`${e.tenantId}:${e.unitId}`, { t: e.tenantId, u: e.unitId });
    const out = new Map<string, string[]>();
    if (keys.size === 0) return out;
    const list = [...keys.values()];
    const rows = await this.db.query<{ tenant_id: string; id: string; path: string[] | string }>(
      `SELECT u.tenant_id::text AS tenant_id, u.id::text AS id, u.path
         FROM units u JOIN unnest($1::uuid[], $2::uuid[]) AS k(tenant_id, id) ON u.tenant_id = k.tenant_id AND u.id = k.id`,
      [list.map((k) => k.t), list.map((k) => k.u)],
    );
    for (const r of rows) out.set(`${r.tenant_id}:${r.id}`, parsePath(r.path));
    return out;
  }

  /** Heartbeats, and a periodic re-check of each viewer's session and grants. */
  private beat(): void {
    const now = Date.now();
    const reauthMs = this.opts.reauthMs ?? 60_000;
    for (const c of this.clients) {
      c.heartbeat();
      const re = c.init.reauthenticate;
      if (re && now - c.lastAuthAt >= reauthMs) {
        c.lastAuthAt = now;
        re()
          .then((viewer) => {
            if (!viewer) c.close();
            else c.init.viewer = viewer;
          })
          .catch((err) => this.opts.onError(err));
      }
    }
  }

  /** Ends every open stream and refuses new ones (before the HTTP server closes). */
  closeStreams(): void {
    this.closing = true;
    for (const c of [...this.clients]) c.close();
  }

  async stop(): Promise<void> {
    this.closeStreams();
    clearInterval(this.heartbeatTimer);
    await this.poller.stop();
    if (this.started) await this.started.catch(() => {});
    await this.unlisten?.();
  }
}

/** node-postgres returns uuid[] as an array; PGlite as well, but be tolerant of the text form. */
function parsePath(p: string[] | string): string[] {
  if (Array.isArray(p)) return p;
  return p.replace(/^\{|\}$/g, '').split(',').filter(Boolean);
}
