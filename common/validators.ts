import { z } from 'zod';

/** Indonesian mobile numbers, normalised to 62… (accepts 08…, +628…, 628…). */
export function normalizePhone(raw: string): string | null {
  const digits = raw.replace(/[\s\-().]/g, '');
  let d = digits.startsWith('+') ? digits.slice(1) : digits;
  if (d.startsWith('0')) d = `62${d.slice(1)}`;
  if (!/^628[1-9][0-9]{6,10}$/.test(d)) return null;
  return d;
}

export const phoneSchema = z
  .string()
  .trim()
  .max(20)
  .transform((v, ctx) => {
    const n = normalizePhone(v);
    if (!n) {
      ctx.addIssue({ code: 'custom', message: 'field.phone' });
      return z.NEVER;
    }
    return n;
  });

export const emailSchema = z.string().trim().toLowerCase().max(254).pipe(z.email());

/** At least 8 characters with a letter and a digit; at most 200 (argon2 input bound). */
export const passwordSchema = z
  .string()
  .max(200)
  .refine((p) => p.length >= 8 && /[A-Za-z]/.test(p) && /[0-9]/.test(p), { message: 'field.password_weak' });

export const nipSchema = z.string().trim().regex(/^[0-9]{18}$/, { message: 'field.nip' });

/** Kemendagri region code: 73, 73.71, 73.71.01, 73.71.01.1001. */
export const regionCodeSchema = z.string().regex(/^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$/, { message: 'field.format' });

export const nameSchema = z.string().trim().min(2).max(120);

/** Cursor pagination query shared by every list. */
export const pageQuery = {
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
};
