import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  addWorkingHours,
  fixedOffsetForTests,
  instantByZone,
  isWorkingDay,
  localDayByZone,
  makeCalendar,
  officeHoursPerDay,
  type WorkingCalendar,
  workingHoursBetween,
} from './workingTime.js';

const holidays = JSON.parse(readFileSync(new URL('../../seed/data/holidays-id-2026.json', import.meta.url), 'utf8')) as {
  national_holidays: { date: string }[];
  collective_leave: { date: string }[];
};
const OFF_2026 = [...holidays.national_holidays, ...holidays.collective_leave].map((h) => h.date);

const WIB = 'Asia/Jakarta';
const WITA = 'Asia/Makassar';
const WIT = 'Asia/Jayapura';

function cal(timeZone: string, extra: Partial<Parameters<typeof makeCalendar>[0]> = {}): WorkingCalendar {
  return makeCalendar({ timeZone, nonWorkingDates: OFF_2026, ...extra });
}
const at = (iso: string) => new Date(iso);
const iso = (d: Date) => d.toISOString();

describe('isWorkingDay', () => {
  const c = cal(WITA);
  it('knows weekends, national holidays and cuti bersama of 2026', () => {
    expect(isWorkingDay(c, '2026-03-13')).toBe(true); // Friday
    expect(isWorkingDay(c, '2026-03-14')).toBe(false); // Saturday
    expect(isWorkingDay(c, '2026-03-15')).toBe(false); // Sunday
    expect(isWorkingDay(c, '2026-03-18')).toBe(false); // cuti bersama Nyepi
    expect(isWorkingDay(c, '2026-03-19')).toBe(false); // Nyepi
    expect(isWorkingDay(c, '2026-03-24')).toBe(false); // cuti bersama Idul Fitri
    expect(isWorkingDay(c, '2026-03-25')).toBe(true);
    expect(isWorkingDay(c, '2026-08-17')).toBe(false); // Proklamasi, a Monday
    expect(isWorkingDay(c, '2026-12-24')).toBe(false);
  });

  it('takes the date of an instant in the tenant zone (WIB, WITA, WIT)', () => {
    // 2026-03-17 16:30 UTC: Tuesday 23:30 in Jakarta, already Wednesday 18 March (cuti bersama) in Makassar.
    expect(isWorkingDay(cal(WIB), at('2026-03-17T16:30:00Z'))).toBe(true);
    expect(isWorkingDay(cal(WITA), at('2026-03-17T16:30:00Z'))).toBe(false);
    // 15:30 UTC: 22:30 WIB and 23:30 WITA on Tuesday, 00:30 WIT on Wednesday.
    expect(isWorkingDay(cal(WITA), at('2026-03-17T15:30:00Z'))).toBe(true);
    expect(isWorkingDay(cal(WIT), at('2026-03-17T15:30:00Z'))).toBe(false);
  });

  it('lets an extra working day win over the weekend, and follows a six-day week', () => {
    expect(isWorkingDay(cal(WITA, { extraWorkingDates: ['2026-03-28'] }), '2026-03-28')).toBe(true);
    const sixDays = cal(WIB, { workWeek: [1, 2, 3, 4, 5, 6] });
    expect(isWorkingDay(sixDays, '2026-03-28')).toBe(true);
    expect(isWorkingDay(sixDays, '2026-03-29')).toBe(false);
  });

  it('refuses a malformed date', () => {
    expect(() => isWorkingDay(c, '2026-02-30')).toThrow(RangeError);
    expect(() => isWorkingDay(c, '13/03/2026')).toThrow(RangeError);
  });
});

describe('addWorkingDays', () => {
  it('puts a complaint filed Friday 13 March 2026 15:00 WITA + 5 working days after Nyepi and Idul Fitri', () => {
    // Working days after Friday: Mon 16, Tue 17, (18–24 off: Nyepi, Idul Fitri, cuti bersama), Wed 25, Thu 26, Fri 27.
    const due = addWorkingDays(cal(WITA), at('2026-03-13T07:00:00Z'), 5);
    expect(iso(due)).toBe('2026-03-27T07:00:00.000Z'); // Friday 27 March 15:00 WITA
  });

  it('counts the same local time in each zone', () => {
    // Monday 2 March 2026, 10:00 local in each zone + 3 working days = Thursday 10:00 local.
    expect(iso(addWorkingDays(cal(WIB), at('2026-03-02T03:00:00Z'), 3))).toBe('2026-03-05T03:00:00.000Z');
    expect(iso(addWorkingDays(cal(WITA), at('2026-03-02T02:00:00Z'), 3))).toBe('2026-03-05T02:00:00.000Z');
    expect(iso(addWorkingDays(cal(WIT), at('2026-03-02T01:00:00Z'), 3))).toBe('2026-03-05T01:00:00.000Z');
  });

  it('starts a filing outside office hours at the next opening', () => {
    // Saturday 14 March 10:00 WITA → counts from Monday 16 08:00: 1 day → Monday 16:00.
    expect(iso(addWorkingDays(cal(WITA), at('2026-03-14T02:00:00Z'), 1))).toBe('2026-03-16T08:00:00.000Z');
    // Monday 2 March 06:30 WIB (before opening) + 1 → Monday 16:00 WIB.
    expect(iso(addWorkingDays(cal(WIB), at('2026-03-01T23:30:00Z'), 1))).toBe('2026-03-02T09:00:00.000Z');
    // Zero days from an evening start is the next opening.
    expect(iso(addWorkingDays(cal(WIB), at('2026-03-02T12:00:00Z'), 0))).toBe('2026-03-03T01:00:00.000Z');
  });

  it('uses an extra working day (a Saturday made a working day)', () => {
    const start = at('2026-03-27T07:00:00Z'); // Friday 27 March 15:00 WITA
    expect(iso(addWorkingDays(cal(WITA), start, 1))).toBe('2026-03-30T07:00:00.000Z'); // Monday
    expect(iso(addWorkingDays(cal(WITA, { extraWorkingDates: ['2026-03-28'] }), start, 1))).toBe('2026-03-28T07:00:00.000Z'); // Saturday
  });

  it('crosses the year end over Natal and cuti bersama', () => {
    // Wednesday 23 Dec 2026 09:00 WIB + 2 → 24 (cuti), 25 (Natal), 26–27 weekend: Mon 28 and Tue 29 → Tuesday 09:00.
    expect(iso(addWorkingDays(cal(WIB), at('2026-12-23T02:00:00Z'), 2))).toBe('2026-12-29T02:00:00.000Z');
  });

  it('refuses negative or fractional days', () => {
    expect(() => addWorkingDays(cal(WIB), at('2026-03-02T03:00:00Z'), -1)).toThrow(RangeError);
    expect(() => addWorkingDays(cal(WIB), at('2026-03-02T03:00:00Z'), 1.5)).toThrow(RangeError);
  });
});

describe('addWorkingHours', () => {
  const c = cal(WIB);
  it('counts office hours only', () => {
    // Monday 2 March 10:00 WIB + 2 h = 12:00; + 6 h = 16:00 (closing, not the next opening); + 7 h = Tuesday 09:00.
    expect(iso(addWorkingHours(c, at('2026-03-02T03:00:00Z'), 2))).toBe('2026-03-02T05:00:00.000Z');
    expect(iso(addWorkingHours(c, at('2026-03-02T03:00:00Z'), 6))).toBe('2026-03-02T09:00:00.000Z');
    expect(iso(addWorkingHours(c, at('2026-03-02T03:00:00Z'), 7))).toBe('2026-03-03T02:00:00.000Z');
    expect(iso(addWorkingHours(c, at('2026-03-02T03:00:00Z'), 0.25))).toBe('2026-03-02T03:15:00.000Z');
  });

  it('skips the weekend and starts late filings at the next opening', () => {
    // Friday 6 March 15:00 WIB + 2 h → Monday 9 March 09:00 WIB.
    expect(iso(addWorkingHours(c, at('2026-03-06T08:00:00Z'), 2))).toBe('2026-03-09T02:00:00.000Z');
    // Friday 6 March 20:00 WIB + 1 h → Monday 09:00.
    expect(iso(addWorkingHours(c, at('2026-03-06T13:00:00Z'), 1))).toBe('2026-03-09T02:00:00.000Z');
  });

  it('follows the tenant zone: the same instant is inside office hours in WIB but after closing in WITA and WIT', () => {
    const start = at('2026-03-13T08:30:00Z'); // Friday 15:30 WIB, 16:30 WITA, 17:30 WIT
    expect(iso(addWorkingHours(cal(WIB), start, 1))).toBe('2026-03-16T01:30:00.000Z'); // Monday 08:30 WIB
    expect(iso(addWorkingHours(cal(WITA), start, 1))).toBe('2026-03-16T01:00:00.000Z'); // Monday 09:00 WITA
    expect(iso(addWorkingHours(cal(WIT), start, 1))).toBe('2026-03-16T00:00:00.000Z'); // Monday 09:00 WIT
  });

  it('uses the configured office hours', () => {
    const c2 = cal(WITA, { officeStart: '07:30', officeEnd: '16:00' });
    expect(officeHoursPerDay(c2)).toBe(8.5);
    // Tuesday 3 March 16:00 WITA + 1 h → Wednesday 08:30 WITA.
    expect(iso(addWorkingHours(c2, at('2026-03-03T08:00:00Z'), 1))).toBe('2026-03-04T00:30:00.000Z');
  });

  it('keeps local office hours across a DST change (zones without DST are the simple case)', () => {
    // Amsterdam moves to summer time on Sunday 29 March 2026: Friday 15:00 CET + 2 h = Monday 09:00 CEST.
    const ams = makeCalendar({ timeZone: 'Europe/Amsterdam' });
    expect(iso(addWorkingHours(ams, at('2026-03-27T14:00:00Z'), 2))).toBe('2026-03-30T07:00:00.000Z');
    // The Indonesian zones never shift: 08:00 WIB is 01:00 UTC in January and in July.
    expect(iso(addWorkingHours(cal(WIB), at('2026-01-05T00:00:00Z'), 0))).toBe('2026-01-05T01:00:00.000Z');
    expect(iso(addWorkingHours(cal(WIB), at('2026-07-06T00:00:00Z'), 0))).toBe('2026-07-06T01:00:00.000Z');
  });

  it('refuses bad input and a calendar without any working day', () => {
    expect(() => addWorkingHours(c, at('2026-03-02T03:00:00Z'), -1)).toThrow(RangeError);
    expect(() => addWorkingHours(c, at('2026-03-02T03:00:00Z'), Number.NaN)).toThrow(RangeError);
    expect(() => addWorkingHours(makeCalendar({ timeZone: WIB, workWeek: [] }), at('2026-03-02T03:00:00Z'), 1)).toThrow(/no working day/);
    expect(() => makeCalendar({ timeZone: WIB, officeStart: '16:00', officeEnd: '08:00' })).toThrow(RangeError);
    expect(() => makeCalendar({ timeZone: WIB, officeStart: '8:00' })).toThrow(RangeError);
    expect(() => makeCalendar({ timeZone: 'Asia/Atlantis' })).toThrow(RangeError);
  });
});

describe('workingHoursBetween', () => {
  it('counts office hours between two instants, skipping nights, weekends and holidays', () => {
    const c = cal(WITA);
    // Friday 13 March 15:00 WITA → Monday 16 March 10:00 WITA: 1 h + 2 h.
    expect(workingHoursBetween(c, at('2026-03-13T07:00:00Z'), at('2026-03-16T02:00:00Z'))).toBe(3);
    // Tuesday 17 March 08:00 → Wednesday 25 March 16:00 WITA: only the 17th and the 25th are working days.
    expect(workingHoursBetween(c, at('2026-03-17T00:00:00Z'), at('2026-03-25T08:00:00Z'))).toBe(16);
    // Inside one night: nothing.
    expect(workingHoursBetween(c, at('2026-03-16T10:00:00Z'), at('2026-03-16T20:00:00Z'))).toBe(0);
    // Reversed: negative.
    expect(workingHoursBetween(c, at('2026-03-16T02:00:00Z'), at('2026-03-13T07:00:00Z'))).toBe(-3);
  });

  it('is the inverse of addWorkingHours for starts inside office hours', () => {
    const c = cal(WIT, { extraWorkingDates: ['2026-03-28'] });
    let seed = 42;
    const rnd = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 200; i++) {
      // A random instant in 2026, moved to the next opening if outside office hours.
      const start = addWorkingHours(c, new Date(Date.UTC(2026, 0, 1) + rnd() * 360 * 86_400_000), 0);
      const hours = Math.round(rnd() * 400 * 4) / 4;
      const end = addWorkingHours(c, start, hours);
      expect(workingHoursBetween(c, start, end)).toBeCloseTo(hours, 9);
    }
  });
});

describe('fixed-offset zones', () => {
  it('gives the same local days and office instants as the zone database for WIB, WITA, WIT and UTC', () => {
    const { localDayOf, instantOf, FIXED_SINCE } = fixedOffsetForTests;
    let seed = 20261127;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const end = Date.UTC(2045, 0, 1);
    for (const timeZone of ['Asia/Jakarta', 'Asia/Pontianak', 'Asia/Makassar', 'Asia/Jayapura', 'UTC']) {
      const cal = makeCalendar({ timeZone });
      for (let i = 0; i < 2_000; i++) {
        const ms = Math.floor(FIXED_SINCE + random() * (end - FIXED_SINCE));
        expect(localDayOf(cal, ms), `${timeZone} ${new Date(ms).toISOString()}`).toBe(localDayByZone(cal, ms));
        const day = Math.floor(ms / 86_400_000) + 1;
        const minutes = Math.floor(random() * 1440);
        expect(instantOf(cal, day, minutes), `${timeZone} day ${day} minute ${minutes}`).toBe(instantByZone(cal, day, minutes));
      }
    }
  });
});
