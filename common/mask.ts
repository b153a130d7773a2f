/**
 * Masking of personal data for lists and for staff who do not hold `personal_data.read`
 * (UU PDP No. 27/2022): enough stays visible to recognise a record, not to use it.
 */

/** `wahyuda@example.com` → `w***a@example.com`; the domain stays readable. */
export function maskEmail(email: string | null | undefined): string | null {
  if (!email) return email ?? null;
  const at = email.lastIndexOf('@');
  if (at < 1) return '***';
  const local = email.slice(0, at);
  const last = local.length > 1 ? local.at(-1) : '';
  return `${local[0]}***${last}${email.slice(at)}`;
}

/** `6281234567890` → `6281******890`: operator prefix and last three digits stay. */
export function maskPhone(phone: string | null | undefined): string | null {
  if (!phone) return phone ?? null;
  if (phone.length <= 7) return `${'*'.repeat(Math.max(phone.length - 2, 0))}${phone.slice(-2)}`;
  return `${phone.slice(0, 4)}${'*'.repeat(phone.length - 7)}${phone.slice(-3)}`;
}

/** `7371014507900001` → `737101**********`: the region part stays, birth date and serial go. */
export function maskNik(nik: string | null | undefined): string | null {
  if (!nik) return nik ?? null;
  return `${nik.slice(0, 6)}${'*'.repeat(Math.max(nik.length - 6, 0))}`;
}
