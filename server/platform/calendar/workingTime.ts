import { DateTime } from 'luxon';

/**
 * Working time of one tenant: the one place where deadlines in working days or working hours are
 * computed. Every function here is pure: the calendar comes in (see `loadCalendar`), instants come
 * in as `Date` (UTC) and go out as `Date`; days and office hours are read in the tenant's zone.
 */
export interface WorkingCalendar {
  /** IANA zone of the tenant, e.g. Asia/Makassar. */
  timeZone: string;
  /** ISO weekdays that are ordinary working days (1 = Monday … 7 = Sunday). */
  workWeek: readonly number[];
  /** Office opening, 'HH:MM' in the tenant's zone. */
  officeStart: string;
  /** Office closing, 'HH:MM' in the tenant's zone; after officeStart. */
  officeEnd: string;
  /** Dates ('YYYY-MM-DD') that are not working days: national holidays, cuti bersama, local holidays. */
  nonWorkingDates: ReadonlySet<string>;
  /** Dates ('YYYY-MM-DD') that are working days although the work week says otherwise. */
  extraWorkingDates: ReadonlySet<string>;
}

/** Defaults of a tenant that has not configured its week: Monday–Friday, 08:00–16:00. */
export const DEFAULT_WORK_WEEK = [1, 2, 3, 4, 5] as const;
export const DEFAULT_OFFICE_START = '08:00';
export const DEFAULT_OFFICE_END = '16:00';

/** A search for the next working day gives up after this many days (a calendar with none). */
const MAX_DAYS_WITHOUT_WORK = 3_660;
const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;
const MS_PER_HOUR = 3_600_000;

/** Minutes after midnight of an 'HH:MM' time, or null when malformed. */
export function parseHHMM(value: string): number | null {
  const m = HHMM.exec(value);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

const MS_PER_DAY = 86_400_000;

/**
 * Internally a local calendar day is an integer: days since 1970-01-01 (its date read as UTC), so
 * that walking over days is integer arithmetic and set lookups; the zone is consulted only to turn
 * an instant into its local day and a local office time into an instant.
 */
interface Compiled {
  open: number;
  close: number;
  /** Office milliseconds of one working day. */
  dayMs: number;
  weekdays: Set<number>;
  off: Set<number>;
  extra: Set<number>;
}

const compiledCache = new WeakMap<WorkingCalendar, Compiled>();

function dayNumberOfIso(iso: string): number {
  return Math.floor(Date.parse(`${iso}T00:00:00Z`) / MS_PER_DAY);
}

function compile(cal: WorkingCalendar): Compiled {
  const cached = compiledCache.get(cal);
  if (cached) return cached;
  const open = parseHHMM(cal.officeStart);
  const close = parseHHMM(cal.officeEnd);
  if (open === null || close === null || open >= close) {
    throw new RangeError(`invalid office hours ${cal.officeStart}–${cal.officeEnd}`);
  }
  const c: Compiled = {
    open,
    close,
    dayMs: (close - open) * 60_000,
    weekdays: new Set(cal.workWeek),
    off: new Set([...cal.nonWorkingDates].map(dayNumberOfIso)),
    extra: new Set([...cal.extraWorkingDates].map(dayNumberOfIso)),
  };
  compiledCache.set(cal, c);
  return c;
}

/** ISO weekday (1 = Monday) of a day number; 1970-01-01 was a Thursday. */
function weekdayOf(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

function isWorkingDayNumber(c: Compiled, day: number): boolean {
  if (c.extra.has(day)) return true;
  if (c.off.has(day)) return false;
  return c.weekdays.has(weekdayOf(day));
}

/**
 * UTC offsets (minutes) of zones that have had one fixed offset and no daylight saving since
 * FIXED_SINCE: Indonesia's WIB, WITA and WIT, and UTC. For them the local day and office times are
 * plain arithmetic; deadlines are computed for every report filed, and asking the zone database
 * (Intl, through luxon) was the largest single cost of filing one. Other zones, and instants before
 * FIXED_SINCE, go through luxon.
 */
const FIXED_OFFSET_MINUTES: Readonly<Record<string, number>> = {
  'Asia/Jakarta': 420,
  'Asia/Pontianak': 420,
  'Asia/Makassar': 480,
  'Asia/Jayapura': 540,
  UTC: 0,
  'Etc/UTC': 0,
};
const FIXED_SINCE = Date.UTC(2000, 0, 1);

/** The local day (day number) of an instant in the tenant zone. */
function localDayOf(cal: WorkingCalendar, ms: number): number {
  const fixed = FIXED_OFFSET_MINUTES[cal.timeZone];
  if (fixed !== undefined && ms >= FIXED_SINCE) return Math.floor((ms + fixed * 60_000) / MS_PER_DAY);
  return localDayByZone(cal, ms);
}

/** Exported for tests: the arithmetic way, for zones of FIXED_OFFSET_MINUTES. */
export const fixedOffsetForTests = { localDayOf, instantOf, FIXED_SINCE };

/** localDayOf through the zone database (exported for the test that compares both ways). */
export function localDayByZone(cal: WorkingCalendar, ms: number): number {
  const dt = DateTime.fromMillis(ms, { zone: cal.timeZone });
  if (!dt.isValid) throw new RangeError(`invalid instant or zone ${cal.timeZone}`);
  return Math.floor(Date.UTC(dt.year, dt.month - 1, dt.day) / MS_PER_DAY);
}

/** The instant of a local time (minutes after midnight) on a local day in the tenant zone. */
function instantOf(cal: WorkingCalendar, day: number, minutes: number): number {
  const fixed = FIXED_OFFSET_MINUTES[cal.timeZone];
  const local = day * MS_PER_DAY + minutes * 60_000;
  if (fixed !== undefined && local >= FIXED_SINCE + MS_PER_DAY) return local - fixed * 60_000;
  return instantByZone(cal, day, minutes);
}

/** instantOf through the zone database (exported for the test that compares both ways). */
export function instantByZone(cal: WorkingCalendar, day: number, minutes: number): number {
  const d = new Date(day * MS_PER_DAY);
  return DateTime.fromObject(
    { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: Math.floor(minutes / 60), minute: minutes % 60 },
    { zone: cal.timeZone },
  ).toMillis();
}

function nextWorkingDay(c: Compiled, day: number): number {
  for (let d = day + 1; d <= day + MAX_DAYS_WITHOUT_WORK; d++) {
    if (isWorkingDayNumber(c, d)) return d;
  }
  throw new RangeError(`no working day within ${MAX_DAYS_WITHOUT_WORK} days after ${new Date(day * MS_PER_DAY).toISOString().slice(0, 10)}`);
}

/**
 * Whether a day is a working day in the tenant's calendar. `day` is either a calendar date
 * ('YYYY-MM-DD') or an instant, whose date is taken in the tenant's zone.
 */
export function isWorkingDay(cal: WorkingCalendar, day: Date | string): boolean {
  const c = compile(cal);
  if (typeof day === 'string') {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || !DateTime.fromISO(day, { zone: 'UTC' }).isValid) throw new RangeError(`invalid date ${day}`);
    return isWorkingDayNumber(c, dayNumberOfIso(day));
  }
  return isWorkingDayNumber(c, localDayOf(cal, day.getTime()));
}

/** Office hours of one working day (e.g. 8 for 08:00–16:00). */
export function officeHoursPerDay(cal: WorkingCalendar): number {
  return compile(cal).dayMs / MS_PER_HOUR;
}

/**
 * The instant reached after `hours` of office time, counting only office hours of working days in
 * the tenant's zone. A start outside office hours (before opening, after closing, on a weekend or
 * holiday) starts at the next opening. When the time runs out exactly at closing, the result is
 * that closing time (not the next opening).
 */
export function addWorkingHours(cal: WorkingCalendar, start: Date, hours: number): Date {
  if (!Number.isFinite(hours) || hours < 0) throw new RangeError(`hours must be a finite number ≥ 0, got ${hours}`);
  const c = compile(cal);
  let remaining = Math.round(hours * MS_PER_HOUR);
  let day = localDayOf(cal, start.getTime());
  let cursor = start.getTime();
  if (!isWorkingDayNumber(c, day) || cursor >= instantOf(cal, day, c.close)) {
    day = nextWorkingDay(c, day);
    cursor = instantOf(cal, day, c.open);
  } else {
    cursor = Math.max(cursor, instantOf(cal, day, c.open));
  }
  // The first (possibly partial) day.
  const firstClose = instantOf(cal, day, c.close);
  if (remaining <= firstClose - cursor) return new Date(cursor + remaining);
  remaining -= firstClose - cursor;
  // Whole days, by integer arithmetic, until the last one.
  for (;;) {
    day = nextWorkingDay(c, day);
    if (remaining <= c.dayMs) return new Date(instantOf(cal, day, c.open) + remaining);
    remaining -= c.dayMs;
  }
}

/**
 * The deadline `days` working days after `start`: the same as `addWorkingHours` with `days` full
 * office days, so a complaint filed on Friday at 15:00 with 5 working days is due at 15:00 on the
 * fifth working day after it, and one filed before opening is due at closing of the fifth
 * working day counting its own day.
 */
export function addWorkingDays(cal: WorkingCalendar, start: Date, days: number): Date {
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`days must be a whole number ≥ 0, got ${days}`);
  return addWorkingHours(cal, start, (days * compile(cal).dayMs) / MS_PER_HOUR);
}

/**
 * Office hours (fractional) between two instants, counting only office hours of working days in
 * the tenant's zone: for pausing clocks and showing how much of a deadline is used. Negative when
 * `to` is before `from`.
 */
export function workingHoursBetween(cal: WorkingCalendar, from: Date, to: Date): number {
  const a = from.getTime();
  const b = to.getTime();
  if (b < a) return -workingHoursBetween(cal, to, from);
  const c = compile(cal);
  const first = localDayOf(cal, a);
  const last = localDayOf(cal, b);
  const overlap = (day: number) => {
    if (!isWorkingDayNumber(c, day)) return 0;
    return Math.max(0, Math.min(instantOf(cal, day, c.close), b) - Math.max(instantOf(cal, day, c.open), a));
  };
  if (first === last) return overlap(first) / MS_PER_HOUR;
  let total = overlap(first) + overlap(last);
  for (let d = first + 1; d < last; d++) if (isWorkingDayNumber(c, d)) total += c.dayMs;
  return total / MS_PER_HOUR;
}

/** Builds a calendar from plain values (tests, and `loadCalendar`). */
export function makeCalendar(input: {
  timeZone: string;
  workWeek?: readonly number[];
  officeStart?: string;
  officeEnd?: string;
  nonWorkingDates?: Iterable<string>;
  extraWorkingDates?: Iterable<string>;
}): WorkingCalendar {
  const cal: WorkingCalendar = {
    timeZone: input.timeZone,
    workWeek: [...(input.workWeek ?? DEFAULT_WORK_WEEK)],
    officeStart: input.officeStart ?? DEFAULT_OFFICE_START,
    officeEnd: input.officeEnd ?? DEFAULT_OFFICE_END,
    nonWorkingDates: new Set(input.nonWorkingDates ?? []),
    extraWorkingDates: new Set(input.extraWorkingDates ?? []),
  };
  if (!DateTime.local().setZone(cal.timeZone).isValid) throw new RangeError(`unknown time zone ${cal.timeZone}`);
  compile(cal);
  return cal;
}
