import { z } from 'zod';
import { pageQuery } from '../../../common/validators.js';
import type { AppInstance } from '../../app.js';
import { markAllNotificationsRead, markNotificationRead } from './commands/markNotificationsRead.js';
import { publishAnnouncement } from './commands/publishAnnouncement.js';
import { NOTIFICATION_LINK, setNotifyPublicUrl } from './notify.js';
import { listNotifications, unreadCount } from './queries.js';

const Notification = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  link: z.string().nullable(),
  readAt: z.string().nullable(),
  createdAt: z.string(),
});

/** In-app notifications of the signed-in user, and announcements admins send to a unit's staff. */
export function notificationRoutes(app: AppInstance): void {
  setNotifyPublicUrl(app.deps.config.PUBLIC_URL);

  app.get(
    '/api/v1/notifications',
    {
      config: { access: { authenticated: true } },
      schema: {
        tags: ['notifications'],
        summary: 'My notifications, newest first',
        querystring: z.strictObject({
          /** Only unread ones. */
          unread: z.enum(['true', 'false']).optional(),
          ...pageQuery,
        }),
        response: { 200: z.object({ items: z.array(Notification), nextCursor: z.string().nullable() }) },
      },
    },
    async (req) => listNotifications(req.ctx(), { unread: req.query.unread === 'true', cursor: req.query.cursor, limit: req.query.limit }),
  );

  app.get(
    '/api/v1/notifications/unread-count',
    {
      config: { access: { authenticated: true } },
      schema: { tags: ['notifications'], summary: 'How many of my notifications are unread', response: { 200: z.object({ count: z.number().int() }) } },
    },
    async (req) => ({ count: await unreadCount(req.ctx()) }),
  );

  app.post(
    '/api/v1/notifications/:id/read',
    {
      config: { access: { authenticated: true } },
      schema: { tags: ['notifications'], summary: 'Mark one of my notifications read', params: z.strictObject({ id: z.uuid() }) },
    },
    async (req, reply) => {
      await markNotificationRead(req.ctx(), { id: req.params.id });
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/v1/notifications/read-all',
    {
      config: { access: { authenticated: true } },
      schema: { tags: ['notifications'], summary: 'Mark all my notifications read', response: { 200: z.object({ updated: z.number().int() }) } },
    },
    async (req) => ({ updated: await markAllNotificationsRead(req.ctx()) }),
  );

  app.post(
    '/api/v1/admin/announcements',
    {
      config: { access: { permission: 'users.manage' } },
      schema: {
        tags: ['notifications'],
        summary: 'Announce something to the staff of a unit and its sub-units (in-app, optionally by e-mail)',
        body: z.strictObject({
          unitId: z.uuid(),
          title: z.string().trim().min(3).max(200),
          body: z.string().trim().min(1).max(4000),
          link: z.string().regex(NOTIFICATION_LINK, { message: 'field.link' }).optional(),
          email: z.boolean().default(false),
        }),
        response: { 201: z.object({ id: z.string(), recipients: z.number().int() }) },
      },
    },
    async (req, reply) => reply.code(201).send(await publishAnnouncement(req.ctx(), req.body)),
  );
}
