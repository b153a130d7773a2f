import { z } from 'zod';
import type { AppInstance } from '../../app.js';
import { ApiKeyView, createApiKey, getApiKey, listApiKeys, revokeApiKey } from './apikeys.js';

const CreateApiKeyBody = z.strictObject({
  name: z.string().trim().min(2).max(100),
  permissions: z.array(z.string().max(100)).min(1).max(50),
  unitId: z.uuid().optional(),
});

/** Integration API keys (`apikeys.manage` on the root). */
export function apiKeyRoutes(app: AppInstance): void {
  const access = { access: { permission: 'apikeys.manage' as const } };

  app.get(
    '/api/v1/admin/api-keys',
    {
      config: access,
      schema: {
        tags: ['access'],
        summary: 'API keys of the tenant, newest first (revoked ones included)',
        querystring: z.strictObject({ cursor: z.string().max(400).optional(), limit: z.coerce.number().int().min(1).max(100).default(25) }),
        response: { 200: z.object({ items: z.array(ApiKeyView), nextCursor: z.string().nullable() }) },
      },
    },
    async (req) => listApiKeys(req.ctx(), req.query),
  );

  app.post(
    '/api/v1/admin/api-keys',
    {
      config: access,
      schema: {
        tags: ['access'],
        summary: 'Create an API key; the response carries the whole key, shown this once',
        body: CreateApiKeyBody,
        response: { 201: ApiKeyView.extend({ key: z.string() }) },
      },
    },
    async (req, reply) => {
      const { id, key } = await createApiKey(req.ctx(), req.body);
      return reply.code(201).send({ ...(await getApiKey(req.ctx(), id)), key });
    },
  );

  app.delete(
    '/api/v1/admin/api-keys/:id',
    {
      config: access,
      schema: { tags: ['access'], summary: 'Revoke an API key (at once; idempotent)', params: z.strictObject({ id: z.uuid() }) },
    },
    async (req, reply) => {
      await revokeApiKey(req.ctx(), req.params.id);
      return reply.code(204).send();
    },
  );
}
