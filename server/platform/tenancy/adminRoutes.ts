import { z } from 'zod';
import { emailSchema } from '../../../common/validators.js';
import type { AppInstance } from '../../app.js';
import { getTenantSettings, updateTenant } from './updateTenant.js';

// Refinements (not .regex) so that the field error carries the catalogue code of the message.
const HOST_RE = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;
const TIME_RE = /^([01]\d|2[0-3]):[0-5]\d$/;
const PHONE_RE = /^$|^[0-9+()\-. ]{3,40}$/;

/** A DNS host name, lower-cased, without scheme, port or path (e.g. layanan.makassarkota.go.id). */
export const hostSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .refine((h) => HOST_RE.test(h), { message: 'field.host' });

const timeSchema = z.string().refine((v) => TIME_RE.test(v), { message: 'field.time' });

const workWeekSchema = z
  .array(z.number().int().min(1).max(7))
  .min(1)
  .max(7)
  .refine((days) => new Set(days).size === days.length, { message: 'field.weekdays' });

const ContactInput = z.strictObject({
  address: z.string().trim().max(300).optional(),
  phone: z
    .string()
    .trim()
    .refine((v) => PHONE_RE.test(v), { message: 'tenant.contact_phone' })
    .optional(),
  email: z.union([z.literal(''), emailSchema]).optional(),
  website: z.union([z.literal(''), z.url({ protocol: /^https?$/, hostname: z.regexes.domain }).max(300)]).optional(),
});

/** Fields set once at provisioning: sending one is a field error, not a silent no-op. */
const fixed = z
  .unknown()
  .refine(() => false, { message: 'tenant.field_fixed' })
  .optional()
  .describe('Fixed after provisioning; sending it is refused');

const Contact = z.object({ address: z.string().optional(), phone: z.string().optional(), email: z.string().optional(), website: z.string().optional() });
const Settings = z.object({ workWeek: z.array(z.number().int()), officeStart: z.string(), officeEnd: z.string() });

export const TenantAdminSchema = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  kind: z.enum(['kota', 'kabupaten', 'provinsi']),
  regionCode: z.string(),
  regionName: z.string(),
  timeZone: z.string(),
  hosts: z.array(z.string()),
  logoFileId: z.string().nullable(),
  logoUrl: z.string().nullable(),
  contact: Contact,
  settings: Settings,
  active: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** Settings of the government itself (name, contact, host names, work week, logo). */
export function tenantAdminRoutes(app: AppInstance): void {
  app.get(
    '/api/v1/admin/tenant',
    {
      config: { access: { permission: 'tenant.manage' } },
      schema: { tags: ['tenancy'], summary: 'Settings of this government', response: { 200: TenantAdminSchema } },
    },
    async (req) => getTenantSettings(req.ctx()),
  );

  app.patch(
    '/api/v1/admin/tenant',
    {
      config: { access: { permission: 'tenant.manage' } },
      schema: {
        tags: ['tenancy'],
        summary: 'Change the name, contact, host names, work week and office hours, or logo',
        description: '`contact` and `hosts` replace the current values; `settings` is merged. Slug, kind, region and time zone cannot change (400).',
        body: z.strictObject({
          name: z.string().trim().min(3).max(120).optional(),
          contact: ContactInput.optional(),
          hosts: z.array(hostSchema).max(20).optional(),
          settings: z.strictObject({ workWeek: workWeekSchema.optional(), officeStart: timeSchema.optional(), officeEnd: timeSchema.optional() }).optional(),
          logoFileId: z.uuid().nullable().optional(),
          slug: fixed,
          kind: fixed,
          regionCode: fixed,
          timeZone: fixed,
        }),
        response: { 200: TenantAdminSchema },
      },
    },
    async (req) => {
      const { slug: _s, kind: _k, regionCode: _r, timeZone: _t, ...input } = req.body;
      const updated = await updateTenant(req.ctx(), input);
      req.server.tenants.invalidate();
      return updated;
    },
  );
}
