import { z } from 'zod';
import type { AppInstance } from '../../app.js';
import { modules } from '../../modules/index.js';
import type { Tenant } from './tenants.js';

const Localized = z.object({ id: z.string(), en: z.string() });

export const TenantPublic = z.object({
  id: z.string().uuid(),
  slug: z.string(),
  name: z.string(),
  kind: z.enum(['kota', 'kabupaten', 'provinsi']),
  regionCode: z.string(),
  timeZone: z.string(),
  logoUrl: z.string().nullable(),
  contact: z.object({ address: z.string().optional(), phone: z.string().optional(), email: z.string().optional(), website: z.string().optional() }),
  /** Path prefix under which this tenant is served when it has no host name of its own. */
  basePath: z.string(),
  services: z.array(z.object({ key: z.string(), icon: z.string(), title: Localized, summary: Localized, path: z.string() })),
});

export function presentTenant(t: Tenant, viaPrefix: boolean): z.infer<typeof TenantPublic> {
  return {
    id: t.id,
    slug: t.slug,
    name: t.name,
    kind: t.kind,
    regionCode: t.regionCode,
    timeZone: t.timeZone,
    logoUrl: t.logoFileId ? `/api/v1/files/${t.logoFileId}` : null,
    contact: t.contact,
    basePath: viaPrefix ? `/t/${t.slug}` : '',
    services: modules.flatMap((m) => m.services),
  };
}

export function tenancyRoutes(app: AppInstance): void {
  app.get(
    '/api/v1/tenant',
    {
      config: { access: { public: true } },
      schema: { tags: ['tenancy'], summary: 'The tenant serving this request, with its public services', response: { 200: TenantPublic } },
    },
    async (req) => presentTenant(req.tenant, Boolean((req.raw as any).balaiTenantSlug)),
  );

  app.get(
    '/api/v1/tenants',
    {
      config: { access: { public: true } },
      schema: {
        tags: ['tenancy'],
        summary: 'Governments served by this installation',
        response: { 200: z.object({ items: z.array(z.object({ slug: z.string(), name: z.string(), kind: z.string() })) }) },
      },
    },
    async () => ({ items: (await app.tenants.all()).map((t) => ({ slug: t.slug, name: t.name, kind: t.kind })) }),
  );
}
