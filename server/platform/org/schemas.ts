import { z } from 'zod';
import { UNIT_KINDS } from '../../../common/org.js';
import { emailSchema, nipSchema, phoneSchema, regionCodeSchema } from '../../../common/validators.js';

/** Unit names as the units table allows them. */
export const unitNameSchema = z.string().trim().min(2).max(200);
/** Unit codes: letters, digits, dot, dash, underscore; 1–40 characters (DPU-BM, 73.71.01). */
export const unitCodeSchema = z
  .string()
  .trim()
  .max(40)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { message: 'field.unit_code' });

/** A free-text filter; an empty value (a cleared search box) means no filter. */
export const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((v) => v || undefined)
    .optional();

/** PATCH bodies must change something. */
export const notEmpty = (v: Record<string, unknown>) => Object.values(v).some((x) => x !== undefined);

export const CreateUnitBody = z.strictObject({
  parentId: z.uuid(),
  kind: z.enum(UNIT_KINDS),
  name: unitNameSchema,
  code: unitCodeSchema.nullish(),
  regionCode: regionCodeSchema.nullish(),
});

export const UpdateUnitBody = z
  .strictObject({
    name: unitNameSchema.optional(),
    code: unitCodeSchema.nullable().optional(),
    regionCode: regionCodeSchema.nullable().optional(),
    parentId: z.uuid().optional(),
    active: z.boolean().optional(),
  })
  .refine(notEmpty, { message: 'field.patch_empty' });

export const UnitsQuery = z.strictObject({
  q: optionalText(100),
  includeInactive: z.enum(['true', 'false']).optional(),
});

export const IdParams = z.strictObject({ id: z.uuid() });

export const personNameSchema = z.string().trim().min(2).max(120);

export const GrantBody = z.strictObject({
  roleKey: z.string().trim().min(2).max(50),
  unitId: z.uuid(),
});

export const InviteStaffBody = z.strictObject({
  name: personNameSchema,
  email: emailSchema,
  phone: phoneSchema.optional(),
  nip: nipSchema.optional(),
  locale: z.enum(['id', 'en']).default('id'),
  grants: z.array(GrantBody).max(20).default([]),
});

export const UpdateUserBody = z
  .strictObject({
    name: personNameSchema.optional(),
    phone: phoneSchema.nullable().optional(),
    nip: nipSchema.nullable().optional(),
    status: z.enum(['active', 'disabled']).optional(),
  })
  .refine(notEmpty, { message: 'field.patch_empty' });

export const UsersQuery = z.strictObject({
  q: optionalText(100),
  kind: z.enum(['staff', 'citizen']).optional(),
  unitId: z.uuid().optional(),
  status: z.enum(['active', 'invited', 'disabled']).optional(),
  cursor: z.string().max(400).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});

export const GrantParams = z.strictObject({ id: z.uuid(), grantId: z.uuid() });
