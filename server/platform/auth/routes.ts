import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { emailSchema, passwordSchema, phoneSchema } from '../../../common/validators.js';
import type { PERMISSIONS } from '../../../common/permissions.js';
import type { AppInstance } from '../../app.js';
import { modules } from '../../modules/index.js';
import { Unauthenticated } from '../errors.js';
import { canAnywhere, permissionsOf } from '../policies/actor.js';
import { login } from './commands/login.js';
import { changePassword, requestPasswordReset, resetPassword } from './commands/passwords.js';
import { registerCitizen } from './commands/registerCitizen.js';
import { deleteSession, deleteUserSessions, grantsOf } from './sessions.js';
import { csrfFor, sessionCookieName } from './tokens.js';
import { inTransaction } from '../context.js';
import { authChanged } from './sessionCache.js';


const Localized = z.object({ id: z.string(), en: z.string() });

export const MeResponse = z.object({
  user: z.object({ id: z.string(), name: z.string(), kind: z.enum(['staff', 'citizen']) }),
  csrfToken: z.string(),
  permissions: z.array(z.string()),
  grants: z.array(z.object({ roleKey: z.string(), unitId: z.string() })),
  nav: z.array(z.object({ key: z.string(), title: Localized, path: z.string() })),
});

const AuthResponse = z.object({ userId: z.string(), csrfToken: z.string() });

function setSessionCookie(req: FastifyRequest, reply: FastifyReply, token: string): void {
  const { config } = req.server.deps;
  reply.setCookie(sessionCookieName(req.tenant.slug), token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: config.COOKIE_SECURE,
    maxAge: config.SESSION_TTL_HOURS * 3600,
  });
}

/** Admin pages of the platform, listed in the workspace navigation by permission. */
export const PLATFORM_NAV = [
  { key: 'admin.units', title: { id: 'Unit organisasi', en: 'Organisation units' }, path: '/admin/units', permission: 'units.manage' },
  { key: 'admin.users', title: { id: 'Akun & hak akses', en: 'Accounts & access' }, path: '/admin/users', permission: 'users.manage' },
  { key: 'admin.calendar', title: { id: 'Kalender kerja', en: 'Working calendar' }, path: '/admin/calendar', permission: 'calendar.manage' },
  { key: 'admin.tenant', title: { id: 'Pengaturan daerah', en: 'Government settings' }, path: '/admin/settings', permission: 'tenant.manage' },
  { key: 'admin.audit', title: { id: 'Jejak audit', en: 'Audit trail' }, path: '/admin/audit', permission: 'audit.read' },
  { key: 'admin.outbox', title: { id: 'Kotak keluar', en: 'Outbox' }, path: '/admin/outbox', permission: 'outbox.read' },
] as const;

export function authRoutes(app: AppInstance): void {
  const ttlHours = app.deps.config.SESSION_TTL_HOURS;
  /** Per-IP limit on sign-in, registration and reset attempts (per app process). */
  const AUTH_RATE = { max: app.deps.config.AUTH_RATE_PER_MINUTE, timeWindow: '1 minute' };

  app.post(
    '/api/v1/auth/register',
    {
      config: { access: { public: true }, rateLimit: AUTH_RATE },
      schema: {
        tags: ['auth'],
        summary: 'A resident creates an account and is signed in',
        body: z.strictObject({
          name: z.string().trim().min(2).max(120),
          email: emailSchema.optional(),
          phone: phoneSchema.optional(),
          password: passwordSchema,
          locale: z.enum(['id', 'en']).default('id'),
        }),
        response: { 201: AuthResponse },
      },
    },
    async (req, reply) => {
      const r = await registerCitizen(req.ctx(), { ...req.body, ip: req.ip, userAgent: req.headers['user-agent'], ttlHours });
      setSessionCookie(req, reply, r.token);
      return reply.code(201).send({ userId: r.userId, csrfToken: csrfFor(r.token) });
    },
  );

  app.post(
    '/api/v1/auth/login',
    {
      config: { access: { public: true }, rateLimit: AUTH_RATE },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with e-mail or mobile number and password',
        body: z.strictObject({ login: z.string().trim().min(3).max(254), password: z.string().min(1).max(200) }),
        response: { 200: AuthResponse },
      },
    },
    async (req, reply) => {
      const r = await login(req.ctx(), { ...req.body, ip: req.ip, userAgent: req.headers['user-agent'], ttlHours });
      setSessionCookie(req, reply, r.token);
      return { userId: r.userId, csrfToken: csrfFor(r.token) };
    },
  );

  app.post(
    '/api/v1/auth/logout',
    { config: { access: { public: true } }, schema: { tags: ['auth'], summary: 'Sign out of this session' } },
    async (req, reply) => {
      if (req.sessionToken) await deleteSession(req.server.deps.db.orm, req.tenant.id, req.sessionToken);
      authChanged(req.server.deps.db);
      reply.clearCookie(sessionCookieName(req.tenant.slug), { path: '/' });
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/v1/auth/logout-all',
    { config: { access: { authenticated: true } }, schema: { tags: ['auth'], summary: 'Sign out of every session of this account' } },
    async (req, reply) => {
      const ctx = req.ctx();
      await inTransaction(ctx, async (tx) => {
        const ended = await deleteUserSessions(tx.tx, ctx.tenant.id, ctx.actor.id!);
        await tx.audit({ action: 'user.logged_out_everywhere', entityType: 'user', entityId: ctx.actor.id, data: { sessionsEnded: ended } });
      });
      authChanged(ctx.db);
      reply.clearCookie(sessionCookieName(req.tenant.slug), { path: '/' });
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/v1/me',
    {
      config: { access: { authenticated: true } },
      schema: { tags: ['auth'], summary: 'The signed-in user, permissions, navigation and CSRF token', response: { 200: MeResponse } },
    },
    async (req) => {
      const actor = req.actor;
      if (!req.sessionToken) throw new Unauthenticated();
      const nav = [...modules.flatMap((m) => m.nav), ...PLATFORM_NAV].filter((n) => canAnywhere(actor, n.permission as keyof typeof PERMISSIONS));
      return {
        user: { id: actor.id!, name: actor.name!, kind: actor.userKind! },
        csrfToken: csrfFor(req.sessionToken),
        permissions: permissionsOf(actor),
        grants: actor.grants.map((g) => ({ roleKey: g.roleKey, unitId: g.unitId })),
        nav: nav.map(({ key, title, path }) => ({ key, title, path })),
      };
    },
  );

  app.post(
    '/api/v1/me/password',
    {
      config: { access: { authenticated: true } },
      schema: {
        tags: ['auth'],
        summary: 'Change the password; other sessions end',
        body: z.strictObject({ current: z.string().min(1).max(200), next: passwordSchema }),
      },
    },
    async (req, reply) => {
      await changePassword(req.ctx(), { ...req.body, keepToken: req.sessionToken });
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/v1/auth/password-reset',
    {
      config: { access: { public: true }, rateLimit: AUTH_RATE },
      schema: {
        tags: ['auth'],
        summary: 'Ask for a reset link by e-mail (answers 202 whether or not the account exists)',
        body: z.strictObject({ login: z.string().trim().min(3).max(254) }),
      },
    },
    async (req, reply) => {
      await requestPasswordReset(req.ctx(), { login: req.body.login, publicUrl: req.server.deps.config.PUBLIC_URL });
      return reply.code(202).send();
    },
  );

  app.post(
    '/api/v1/auth/password-reset/confirm',
    {
      config: { access: { public: true }, rateLimit: AUTH_RATE },
      schema: {
        tags: ['auth'],
        summary: 'Set a new password with a reset or invitation link',
        body: z.strictObject({ token: z.string().regex(/^[A-Za-z0-9_-]{43}$/), password: passwordSchema }),
      },
    },
    async (req, reply) => {
      await resetPassword(req.ctx(), req.body);
      return reply.code(204).send();
    },
  );
}

export { grantsOf };
