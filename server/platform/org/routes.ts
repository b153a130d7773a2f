import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppInstance } from '../../app.js';
import { createUnit } from './commands/createUnit.js';
import { addGrant, removeGrant } from './commands/grants.js';
import { inviteStaff } from './commands/inviteStaff.js';
import { resendInvitation, updateUser } from './commands/updateUser.js';
import { updateUnit } from './commands/updateUnit.js';
import { browseUsers, viewUser } from './commands/viewUser.js';
import { presentUnit, UnitDetail, UnitView, UserDetail, UserView } from './presenters.js';
import { listUnits, unitInScope, unitNames } from './queries.js';
import { CreateUnitBody, GrantBody, GrantParams, IdParams, InviteStaffBody, UnitsQuery, UpdateUnitBody, UpdateUserBody, UsersQuery } from './schemas.js';

async function unitDetail(req: FastifyRequest, id: string): Promise<z.infer<typeof UnitDetail>> {
  const ctx = req.ctx();
  const unit = await unitInScope(ctx.db.orm, ctx, id, 'units.manage');
  return { ...presentUnit(unit), ancestors: await unitNames(ctx.db.orm, ctx.tenant.id, unit.path.slice(0, -1)) };
}

/** Organisation units: list, read, create, rename, move, (de)activate. Scoped by `units.manage`. */
export function unitRoutes(app: AppInstance): void {
  const access = { access: { permission: 'units.manage' as const } };

  app.get(
    '/api/v1/admin/units',
    {
      config: access,
      schema: {
        tags: ['organisation'],
        summary:
          'Units the actor manages, flat and ordered for a tree (depth first, siblings by name). Not paginated: a tenant tree is bounded (hundreds of units); nextCursor is always null.',
        querystring: UnitsQuery,
        response: { 200: z.object({ items: z.array(UnitView), nextCursor: z.null() }) },
      },
    },
    async (req) => ({
      items: await listUnits(req.ctx(), { q: req.query.q, includeInactive: req.query.includeInactive === 'true' }),
      nextCursor: null,
    }),
  );

  app.get(
    '/api/v1/admin/units/:id',
    {
      config: access,
      schema: { tags: ['organisation'], summary: 'One unit with its ancestors', params: IdParams, response: { 200: UnitDetail } },
    },
    async (req) => unitDetail(req, req.params.id),
  );

  app.post(
    '/api/v1/admin/units',
    {
      config: access,
      schema: { tags: ['organisation'], summary: 'Create a unit under a unit the actor manages', body: CreateUnitBody, response: { 201: UnitDetail } },
    },
    async (req, reply) => {
      const id = await createUnit(req.ctx(), req.body);
      return reply.code(201).send(await unitDetail(req, id));
    },
  );

  app.patch(
    '/api/v1/admin/units/:id',
    {
      config: access,
      schema: {
        tags: ['organisation'],
        summary: 'Rename, recode, move (with its subtree) or (de)activate a unit',
        params: IdParams,
        body: UpdateUnitBody,
        response: { 200: UnitDetail },
      },
    },
    async (req) => {
      await updateUnit(req.ctx(), req.params.id, req.body);
      return unitDetail(req, req.params.id);
    },
  );
}

/** Staff and citizen accounts and their grants. Scoped by `users.manage` on the grants' units. */
export function userRoutes(app: AppInstance): void {
  const access = { access: { permission: 'users.manage' as const } };
  const publicUrl = app.deps.config.PUBLIC_URL;

  app.get(
    '/api/v1/admin/users',
    {
      config: access,
      schema: {
        tags: ['organisation'],
        summary: 'Accounts the actor manages, by name; citizens’ contact data masked without personal_data.read',
        querystring: UsersQuery,
        response: { 200: z.object({ items: z.array(UserView), nextCursor: z.string().nullable() }) },
      },
    },
    async (req) => browseUsers(req.ctx(), req.query),
  );

  app.get(
    '/api/v1/admin/users/:id',
    {
      config: access,
      schema: { tags: ['organisation'], summary: 'One account with its grants (unmasked reading of a citizen is audited)', params: IdParams, response: { 200: UserDetail } },
    },
    async (req) => viewUser(req.ctx(), req.params.id),
  );

  app.post(
    '/api/v1/admin/users',
    {
      config: access,
      schema: { tags: ['organisation'], summary: 'Invite a staff member by e-mail, optionally with roles', body: InviteStaffBody, response: { 201: UserDetail } },
    },
    async (req, reply) => {
      const id = await inviteStaff(req.ctx(), { ...req.body, publicUrl });
      return reply.code(201).send(await viewUser(req.ctx(), id));
    },
  );

  app.patch(
    '/api/v1/admin/users/:id',
    {
      config: access,
      schema: {
        tags: ['organisation'],
        summary: 'Correct name, phone or NIP; disable (ends every session) or re-enable',
        params: IdParams,
        body: UpdateUserBody,
        response: { 200: UserDetail },
      },
    },
    async (req) => {
      await updateUser(req.ctx(), req.params.id, req.body);
      return viewUser(req.ctx(), req.params.id);
    },
  );

  app.post(
    '/api/v1/admin/users/:id/invitation',
    {
      config: access,
      schema: { tags: ['organisation'], summary: 'Send a new invitation link to a staff member who has not set a password yet', params: IdParams },
    },
    async (req, reply) => {
      await resendInvitation(req.ctx(), req.params.id, publicUrl);
      return reply.code(202).send();
    },
  );

  app.post(
    '/api/v1/admin/users/:id/grants',
    {
      config: access,
      schema: {
        tags: ['organisation'],
        summary: 'Give a role on a unit (only on units the actor manages, only roles within the actor’s own rights)',
        params: IdParams,
        body: GrantBody,
        response: { 201: UserDetail },
      },
    },
    async (req, reply) => {
      await addGrant(req.ctx(), req.params.id, req.body);
      return reply.code(201).send(await viewUser(req.ctx(), req.params.id));
    },
  );

  app.delete(
    '/api/v1/admin/users/:id/grants/:grantId',
    {
      config: access,
      schema: { tags: ['organisation'], summary: 'Take a grant back', params: GrantParams },
    },
    async (req, reply) => {
      await removeGrant(req.ctx(), req.params.id, req.params.grantId);
      return reply.code(204).send();
    },
  );
}
