import { z } from 'zod';
import type { AppInstance } from '../../app.js';
import { createRole, getRole, listRoles, permissionCatalogue, PermissionView, RoleView, updateRole } from './roles.js';

const roleKeySchema = z.string().regex(/^[a-z][a-z0-9_]{1,49}$/, { message: 'field.role_key' });
const roleNameSchema = z.string().trim().min(2).max(100);
const descriptionSchema = z.string().trim().max(500);
const permissionsSchema = z.array(z.string().max(100)).min(1).max(100);

const CreateRoleBody = z.strictObject({
  key: roleKeySchema,
  name: roleNameSchema,
  description: descriptionSchema.default(''),
  permissions: permissionsSchema,
});

const UpdateRoleBody = z
  .strictObject({ name: roleNameSchema.optional(), description: descriptionSchema.optional(), permissions: permissionsSchema.optional() })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: 'field.patch_empty' });

const IdParams = z.strictObject({ id: z.uuid() });

/** Roles (named permission sets) and the permission catalogue. */
export function roleRoutes(app: AppInstance): void {
  const access = { access: { permission: 'users.manage' as const } };

  app.get(
    '/api/v1/admin/permissions',
    {
      config: access,
      schema: { tags: ['access'], summary: 'The permission catalogue with labels', response: { 200: z.object({ items: z.array(PermissionView) }) } },
    },
    async () => ({ items: permissionCatalogue() }),
  );

  app.get(
    '/api/v1/admin/roles',
    {
      config: access,
      schema: {
        tags: ['access'],
        summary: 'Roles of the tenant with their permissions (a handful; not paginated, nextCursor is always null)',
        response: { 200: z.object({ items: z.array(RoleView), nextCursor: z.null() }) },
      },
    },
    async (req) => ({ items: await listRoles(req.ctx()), nextCursor: null }),
  );

  app.post(
    '/api/v1/admin/roles',
    {
      config: access,
      schema: {
        tags: ['access'],
        summary: 'Define a role (needs users.manage on the root; only permissions the author holds tenant-wide)',
        body: CreateRoleBody,
        response: { 201: RoleView },
      },
    },
    async (req, reply) => {
      const id = await createRole(req.ctx(), req.body);
      return reply.code(201).send(await getRole(req.ctx(), id));
    },
  );

  app.patch(
    '/api/v1/admin/roles/:id',
    {
      config: access,
      schema: {
        tags: ['access'],
        summary: 'Change a role the tenant defined (system roles cannot change)',
        params: IdParams,
        body: UpdateRoleBody,
        response: { 200: RoleView },
      },
    },
    async (req) => {
      await updateRole(req.ctx(), req.params.id, req.body);
      return getRole(req.ctx(), req.params.id);
    },
  );
}
