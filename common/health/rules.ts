/**
 * Rules of health registration shared by the server and the web app: queue codes, the booking
 * window, session capacity per channel, and the NIK's agreement with the patient's data.
 */
import { parseNik } from '../nik.js';

/** Days ahead (after today) a resident may book. */
export const BOOKING_DAYS_AHEAD = 7;

/** `A` and 23 → `A-023` (three digits at least; the day's numbers restart at 1). */
export function queueCode(prefix: string, number: number): string {
  return `${prefix}-${String(number).padStart(3, '0')}`;
}

/** One formatter per time zone: building an Intl.DateTimeFormat costs far more than using it. */
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** The local calendar date (YYYY-MM-DD) of an instant in a time zone. */
export function localDate(at: Date, timeZone: string): string {
  let f = dateFormats.get(timeZone);
  // en-CA formats dates as YYYY-MM-DD.
  if (!f) dateFormats.set(timeZone, (f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })));
  return f.format(at);
}

const timeFormats = new Map<string, Intl.DateTimeFormat>();

/** The local time of day (HH:MM, 24 h) of an instant in a time zone. */
export function localTime(at: Date, timeZone: string): string {
  let f = timeFormats.get(timeZone);
  if (!f) timeFormats.set(timeZone, (f = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })));
  return f.format(at);
}

/** Days from `from` to `to` (YYYY-MM-DD dates; negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a YYYY-MM-DD date. */
export function isoWeekday(date: string): number {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

export type BookingDateError = 'health.date_past' | 'health.date_too_far';

/** Whether a visit date may be booked today: today up to BOOKING_DAYS_AHEAD days ahead. */
export function checkBookingDate(date: string, today: string): BookingDateError | null {
  const ahead = daysBetween(today, date);
  if (ahead < 0) return 'health.date_past';
  if (ahead > BOOKING_DAYS_AHEAD) return 'health.date_too_far';
  return null;
}

export type Channel = 'online' | 'onsite';

/**
 * How many more visits a session takes on a channel. The on-site share of the quota (rounded up)
 * is kept for walk-ins: online bookings stop at the rest; walk-ins may fill the whole quota,
 * including online places left unbooked.
 */
export function sessionRoom(quota: number, onsiteSharePct: number, used: { online: number; onsite: number }, channel: Channel): number {
  const total = quota - used.online - used.onsite;
  if (channel === 'onsite') return Math.max(0, total);
  const onlineCap = quota - Math.ceil((quota * onsiteSharePct) / 100);
  return Math.max(0, Math.min(total, onlineCap - used.online));
}

export type PatientNikError = 'nik.length' | 'nik.digits' | 'nik.region' | 'nik.birth_date' | 'nik.serial' | 'health.nik_birth_date_mismatch' | 'health.nik_sex_mismatch';

/**
 * Checks a patient's NIK: its form (see common/nik.ts) and that its birth date (DDMMYY, +40 on the
 * day for women) and sex agree with the ones given. Returns the district code for the server to
 * check against the region table.
 */
export function checkPatientNik(nik: string, birthDate: string, sex: 'male' | 'female', today: Date): { ok: true; districtCode: string } | { ok: false; error: PatientNikError; field: 'nik' | 'birthDate' | 'sex' } {
  const parsed = parseNik(nik, today);
  if (!parsed.ok) return { ok: false, error: parsed.error, field: 'nik' };
  const [y, m, d] = birthDate.split('-').map(Number);
  const p = parsed.nik;
  if (p.birthDay !== d || p.birthMonth !== m || p.birthYear2 !== y % 100) return { ok: false, error: 'health.nik_birth_date_mismatch', field: 'birthDate' };
  if (p.sex !== sex) return { ok: false, error: 'health.nik_sex_mismatch', field: 'sex' };
  return { ok: true, districtCode: p.districtCode };
}

/** Where the service time of an estimate comes from. */
export type EstimateBasis = 'today' | 'recent' | 'default';

/** Finished visits a median needs before it is trusted. */
export const MIN_SAMPLES = 5;

/**
 * The service time an estimate assumes, in minutes: the median of today's last finished visits
 * of the service when there are enough of them, else the median of recent weeks, else the
 * service's assumed duration. Medians are of start-to-finish times in seconds.
 */
export function serviceMinutes(
  today: { medianS: number | null; n: number },
  recent: { medianS: number | null; n: number },
  defaultMinutes: number,
): { minutes: number; basis: EstimateBasis } {
  if (today.n >= MIN_SAMPLES && today.medianS !== null) return { minutes: Math.max(1, today.medianS) / 60, basis: 'today' };
  if (recent.n >= MIN_SAMPLES && recent.medianS !== null) return { minutes: Math.max(1, recent.medianS) / 60, basis: 'recent' };
  return { minutes: defaultMinutes, basis: 'default' };
}

/**
 * When a patient with `ahead` visits before them should expect to be served: from the session's
 * opening (or now, once it has opened), one service time per visit ahead, the visits ahead shared
 * among the doctors serving in parallel.
 */
export function estimateAt(opens: Date, now: Date, ahead: number, minutes: number, servers = 1): Date {
  const from = Math.max(opens.getTime(), now.getTime());
  return new Date(from + (ahead * minutes * 60_000) / Math.max(1, servers));
}
