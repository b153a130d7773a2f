import type { Locale } from '../../../common/i18n/problems.js';

/** E-mail templates in Indonesian and English. `{name}` placeholders are filled from params. */
export const EMAIL_TEMPLATES = {
  password_reset: {
    id: {
      subject: 'Atur ulang kata sandi Balai {tenant}',
      body: 'Halo {name},\n\nKami menerima permintaan untuk mengatur ulang kata sandi akun Anda di Balai {tenant}.\nBuka tautan berikut dalam {hours} jam:\n\n{link}\n\nJika Anda tidak meminta ini, abaikan e-mail ini; kata sandi Anda tidak berubah.\n\nSalam,\n{tenant}',
    },
    en: {
      subject: 'Reset your Balai {tenant} password',
      body: 'Hello {name},\n\nWe received a request to reset the password of your Balai {tenant} account.\nOpen this link within {hours} hours:\n\n{link}\n\nIf you did not ask for this, ignore this e-mail; your password stays the same.\n\nRegards,\n{tenant}',
    },
  },
  staff_invitation: {
    id: {
      subject: 'Undangan akun staf Balai {tenant}',
      body: 'Halo {name},\n\nAnda diundang sebagai staf di Balai {tenant}. Buat kata sandi Anda melalui tautan berikut dalam {hours} jam:\n\n{link}\n\nSalam,\n{tenant}',
    },
    en: {
      subject: 'Your Balai {tenant} staff account',
      body: 'Hello {name},\n\nYou have been invited as staff of Balai {tenant}. Set your password with this link within {hours} hours:\n\n{link}\n\nRegards,\n{tenant}',
    },
  },
  notification: {
    id: { subject: '{title}', body: 'Halo {name},\n\n{body}\n\n{link}\n\nSalam,\n{tenant}' },
    en: { subject: '{title}', body: 'Hello {name},\n\n{body}\n\n{link}\n\nRegards,\n{tenant}' },
  },
} as const;

export type EmailTemplate = keyof typeof EMAIL_TEMPLATES;

export function renderEmail(template: EmailTemplate, locale: Locale, params: Record<string, string | number>): { subject: string; body: string } {
  const t = EMAIL_TEMPLATES[template][locale];
  const fill = (s: string) => s.replace(/\{(\w+)\}/g, (_, k: string) => (params[k] === undefined ? '' : String(params[k])));
  return { subject: fill(t.subject), body: fill(t.body) };
}
