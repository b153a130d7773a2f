import { useTranslation } from 'react-i18next';
import { useTenant } from './tenant';

/** Indonesian time-zone abbreviations of the three zones a government can be in. */
const ZONE_LABELS: Record<string, string> = { 'Asia/Jakarta': 'WIB', 'Asia/Pontianak': 'WIB', 'Asia/Makassar': 'WITA', 'Asia/Jayapura': 'WIT' };

export function zoneLabel(timeZone: string): string {
  return ZONE_LABELS[timeZone] ?? timeZone;
}

function locale(lng: string): string {
  return lng === 'en' ? 'en-GB' : 'id-ID';
}

export function formatDateTime(value: string | Date, timeZone: string, lng: string): string {
  const d = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(d.getTime())) return '';
  const s = new Intl.DateTimeFormat(locale(lng), { timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(d);
  return `${s} ${zoneLabel(timeZone)}`;
}

/** A calendar date (YYYY-MM-DD) shown as the government's locale writes it; no zone shift. */
export function formatDay(day: string, lng: string, opts: Intl.DateTimeFormatOptions = { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }): string {
  const [y, m, d] = day.split('-').map(Number);
  if (!y || !m || !d) return day;
  return new Intl.DateTimeFormat(locale(lng), { ...opts, timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, d)));
}

/** Formats instants in the tenant's time zone with its WIB/WITA/WIT label. */
export function useDateTime(): (value: string | Date | null | undefined) => string {
  const { i18n } = useTranslation();
  const tenant = useTenant();
  const tz = tenant.data?.timeZone ?? 'Asia/Jakarta';
  return (value) => (value ? formatDateTime(value, tz, i18n.language) : '');
}

/** Today's date (YYYY-MM-DD) in a time zone. */
export function todayIn(timeZone: string, now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}
