import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppInstance } from '../../app.js';
import { lookupSession } from '../auth/sessions.js';
import { Invalid, RateLimited, Unauthenticated } from '../errors.js';
import { sendProblem } from '../http/problems.js';
import { type AttachResult, EventHub, STREAM_LIMITS, type StreamClientInit } from './hub.js';
import type { EventViewer } from './visibility.js';

/** Browsers wait this long before reconnecting a dropped stream. */
const RETRY_MS = 3_000;
const LAST_EVENT_ID = /^\d{1,15}$/;
const TOPIC = /^[a-z0-9][a-z0-9_.:-]{0,63}$/;

const StreamQuery = z.strictObject({
  /** Resume after this event position (as the Last-Event-ID header, which wins when both are sent). */
  lastEventId: z.string().regex(LAST_EVENT_ID, { message: 'field.format' }).optional(),
});

const PublicStreamQuery = StreamQuery.extend({
  /** Only events of this topic (payload.topic), e.g. `queue.puskesmas-batua`. */
  topic: z.string().regex(TOPIC, { message: 'field.format' }).optional(),
});

/** The hub of each app's database, so that tests and the ops page can see open streams. */
const hubs = new WeakMap<object, EventHub>();
export function eventHubOf(db: object): EventHub | undefined {
  return hubs.get(db);
}

function resumeFrom(req: FastifyRequest, query: { lastEventId?: string }): number | null {
  const header = req.headers['last-event-id'];
  const raw = typeof header === 'string' && header !== '' ? header.trim() : query.lastEventId;
  if (raw === undefined) return null;
  if (!LAST_EVENT_ID.test(raw)) throw Invalid.field('lastEventId', 'field.format', { format: 'integer' });
  return Number(raw);
}

/** Turns the response into an event stream and registers it with the hub. */
async function openStream(req: FastifyRequest, reply: FastifyReply, hub: EventHub, init: Omit<StreamClientInit, 'res'>, from: number | null): Promise<void> {
  const refused = hub.refusal(init);
  if (refused === 'closing' || refused === 'total') {
    sendProblem(req, reply, 503, 'unavailable');
    return;
  }
  if (refused) throw new RateLimited('events.too_many_streams', { max: refused === 'user' ? STREAM_LIMITS.perUser : STREAM_LIMITS.publicPerIp }, 60);
  reply.hijack();
  const res = reply.raw;
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(reply.getHeaders())) if (v !== undefined) headers[k] = Array.isArray(v) ? v : String(v);
  res.writeHead(200, {
    ...headers,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.write(`retry: ${RETRY_MS}\n: connected\n\n`);
  let result: AttachResult;
  try {
    result = await hub.attach({ ...init, res }, from);
  } catch (err) {
    req.log.error({ err }, 'event stream failed to start');
    res.end();
    return;
  }
  if (!result.ok) {
    // The stream is already open (headers sent): say why in-band and end it.
    res.end(`event: error\ndata: ${JSON.stringify({ code: result.reason === 'closing' ? 'unavailable' : 'rate_limited' })}\n\n`);
  }
}

/**
 * Server-Sent Events: the signed-in stream of a tenant's domain events (filtered per viewer),
 * and a public stream of events marked public, for TV and display pages.
 */
export function eventRoutes(app: AppInstance): void {
  const { config, db, clock } = app.deps;
  const hub = new EventHub(db, {
    heartbeatMs: config.SSE_HEARTBEAT_SECONDS * 1000,
    // Sessions and grants are re-checked every four heartbeats (a minute by default).
    reauthMs: config.SSE_HEARTBEAT_SECONDS * 4000,
    onError: (err) => app.log.error({ err }, 'event stream subscriber failed'),
  });
  hubs.set(db, hub);
  // End open streams before the server waits for connections, so that close() never hangs.
  app.addHook('preClose', async () => hub.closeStreams());
  app.addHook('onClose', async () => hub.stop());

  app.get(
    '/api/v1/events/stream',
    {
      config: { access: { authenticated: true } },
      schema: {
        tags: ['events'],
        summary: 'Live domain events the signed-in user may see (Server-Sent Events)',
        description:
          'text/event-stream. Each event has `id:` (its position), `event:` (its type) and `data:` (JSON: id, type, aggregateType, aggregateId, unitId, occurredAt, payload). ' +
          'A heartbeat comment arrives every SSE_HEARTBEAT_SECONDS. Send `Last-Event-ID` (or ?lastEventId=) to replay what was missed; `event: reset` means too much was missed and the page should reload its data. ' +
          'Visibility: events of your tenant only; events addressed to a user (payload.userId) to that user only; events marked public to everyone; other events to staff holding a grant on the event unit or a unit above it (tenant-wide grants for events without a unit); modules may register their own rule per event type.',
        querystring: StreamQuery,
      },
    },
    async (req, reply) => {
      const from = resumeFrom(req, req.query);
      const actor = req.actor;
      const token = req.sessionToken;
      if (actor.kind !== 'user' || !token) throw new Unauthenticated();
      const tenantId = req.tenant.id;
      const viewer: EventViewer = { tenantId, userId: actor.id!, userKind: actor.userKind!, grants: actor.grants };
      const reauthenticate = async (): Promise<EventViewer | null> => {
        const found = await lookupSession(db, tenantId, token, clock.now());
        if (!found || found.expired || found.actor.kind !== 'user') return null;
        return { tenantId, userId: found.actor.id!, userKind: found.actor.userKind!, grants: found.actor.grants };
      };
      await openStream(req, reply, hub, { tenantId, viewer, ip: req.ip, reauthenticate }, from);
    },
  );

  app.get(
    '/api/v1/public/events/stream',
    {
      config: { access: { public: true } },
      schema: {
        tags: ['events'],
        summary: 'Live public events of the government, for TV and display pages (Server-Sent Events)',
        description:
          'Carries only events their module marked public (payload.public === true), optionally of one topic (payload.topic). Same framing, heartbeat and Last-Event-ID resume as /api/v1/events/stream. At most 20 streams per IP address.',
        querystring: PublicStreamQuery,
      },
    },
    async (req, reply) => {
      const from = resumeFrom(req, req.query);
      await openStream(req, reply, hub, { tenantId: req.tenant.id, topic: req.query.topic, ip: req.ip }, from);
    },
  );
}
