import type { TFunction } from 'i18next';
import { isApiError } from '../../../app/api';

/**
 * A failed command as the form shows it: the problem's Indonesian (or English) title for the
 * alert, and the field messages keyed by the body field they are about (`answer`, `unitId`, …).
 */
export function problemOf(e: unknown, t: TFunction): { message: string; fields: Record<string, string> } {
  if (!isApiError(e)) return { message: t('errors.unexpected'), fields: {} };
  const fields: Record<string, string> = {};
  for (const f of e.fieldErrors) {
    const key = f.field.replace(/^body\.?/, '').split('.')[0] || '';
    if (key && !(key in fields)) fields[key] = f.message;
  }
  const unplaced = e.fieldErrors.filter((f) => !f.field.replace(/^body\.?/, '')).map((f) => f.message);
  return { message: [e.message, ...unplaced].join(' '), fields };
}
