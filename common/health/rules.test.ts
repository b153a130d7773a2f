import { describe, expect, it } from 'vitest';
import { checkBookingDate, checkPatientNik, estimateAt, isoWeekday, localDate, queueCode, serviceMinutes, sessionRoom } from './rules.js';

describe('queue codes', () => {
  it('pads the day number to three digits and keeps larger ones whole', () => {
    expect(queueCode('A', 1)).toBe('A-001');
    expect(queueCode('A', 23)).toBe('A-023');
    expect(queueCode('KB', 999)).toBe('KB-999');
    expect(queueCode('B', 1204)).toBe('B-1204');
  });
});

describe('local dates', () => {
  it('takes the date in the tenant zone, not UTC', () => {
    // 16:30 UTC is 00:30 the next day in WITA and 23:30 the same day in WIB.
    const at = new Date('2026-11-27T16:30:00Z');
    expect(localDate(at, 'Asia/Makassar')).toBe('2026-11-28');
    expect(localDate(at, 'Asia/Jakarta')).toBe('2026-11-27');
    expect(localDate(at, 'Asia/Jayapura')).toBe('2026-11-28');
  });

  it('numbers weekdays from Monday (1) to Sunday (7)', () => {
    expect(isoWeekday('2026-11-30')).toBe(1);
    expect(isoWeekday('2026-11-28')).toBe(6);
    expect(isoWeekday('2026-11-29')).toBe(7);
  });
});

describe('booking window', () => {
  it('takes today up to seven days ahead', () => {
    expect(checkBookingDate('2026-11-28', '2026-11-28')).toBeNull();
    expect(checkBookingDate('2026-12-05', '2026-11-28')).toBeNull();
    expect(checkBookingDate('2026-12-06', '2026-11-28')).toBe('health.date_too_far');
    expect(checkBookingDate('2026-11-27', '2026-11-28')).toBe('health.date_past');
  });
});

describe('session room', () => {
  it('keeps the on-site share (rounded up) for walk-ins', () => {
    // Quota 30, 40 % on site: 12 kept, 18 online.
    expect(sessionRoom(30, 40, { online: 0, onsite: 0 }, 'online')).toBe(18);
    expect(sessionRoom(30, 40, { online: 17, onsite: 0 }, 'online')).toBe(1);
    expect(sessionRoom(30, 40, { online: 18, onsite: 0 }, 'online')).toBe(0);
    // Quota 5, 30 %: 1.5 → 2 kept, 3 online.
    expect(sessionRoom(5, 30, { online: 0, onsite: 0 }, 'online')).toBe(3);
  });

  it('lets walk-ins fill the whole quota, unbooked online places included', () => {
    expect(sessionRoom(30, 40, { online: 10, onsite: 0 }, 'onsite')).toBe(20);
    expect(sessionRoom(30, 40, { online: 18, onsite: 12 }, 'onsite')).toBe(0);
    // Walk-ins beyond their share leave online bookings only what is left of the quota.
    expect(sessionRoom(30, 40, { online: 5, onsite: 24 }, 'online')).toBe(1);
  });

  it('never goes below zero', () => {
    expect(sessionRoom(10, 0, { online: 12, onsite: 0 }, 'online')).toBe(0);
    expect(sessionRoom(10, 100, { online: 0, onsite: 0 }, 'online')).toBe(0);
  });
});

describe('patient NIK', () => {
  const today = new Date('2026-11-28T00:00:00Z');
  it('accepts a NIK whose birth date and sex agree', () => {
    // Makassar, Tamalate (73.71.10); woman born 15 Aug 1990: day 15 + 40 = 55.
    expect(checkPatientNik('7371105508900003', '1990-08-15', 'female', today)).toEqual({ ok: true, districtCode: '73.71.10' });
    expect(checkPatientNik('7371101508900003', '1990-08-15', 'male', today)).toEqual({ ok: true, districtCode: '73.71.10' });
  });

  it.each([
    ['737110550890000', '1990-08-15', 'female', 'nik.length', 'nik'],
    ['73711055089000x3', '1990-08-15', 'female', 'nik.digits', 'nik'],
    ['7300105508900003', '1990-08-15', 'female', 'nik.region', 'nik'],
    ['7371107508900003', '1990-08-15', 'female', 'nik.birth_date', 'nik'],
    ['7371105508900003', '1990-08-16', 'female', 'health.nik_birth_date_mismatch', 'birthDate'],
    ['7371105508900003', '1991-08-15', 'female', 'health.nik_birth_date_mismatch', 'birthDate'],
    ['7371105508900003', '1990-08-15', 'male', 'health.nik_sex_mismatch', 'sex'],
  ] as const)('%s (%s, %s) → %s on %s', (nik, birth, sex, error, field) => {
    expect(checkPatientNik(nik, birth, sex, today)).toEqual({ ok: false, error, field });
  });
});

describe('serviceMinutes and estimateAt', () => {
  it('takes today’s median once there are enough finished visits, else recent weeks’, else the assumed duration', () => {
    expect(serviceMinutes({ medianS: 390, n: 5 }, { medianS: 600, n: 100 }, 8)).toEqual({ minutes: 6.5, basis: 'today' });
    expect(serviceMinutes({ medianS: 390, n: 4 }, { medianS: 600, n: 100 }, 8)).toEqual({ minutes: 10, basis: 'recent' });
    expect(serviceMinutes({ medianS: null, n: 0 }, { medianS: 600, n: 4 }, 8)).toEqual({ minutes: 8, basis: 'default' });
    // A median of zero seconds (finished at once) still counts one second.
    expect(serviceMinutes({ medianS: 0, n: 9 }, { medianS: null, n: 0 }, 8).minutes).toBeCloseTo(1 / 60);
  });

  it('starts from the opening or now, whichever is later, and shares the visits ahead among the doctors', () => {
    const opens = new Date('2026-11-30T00:00:00Z');
    const before = new Date('2026-11-29T23:00:00Z');
    const after = new Date('2026-11-30T01:00:00Z');
    expect(estimateAt(opens, before, 3, 10).toISOString()).toBe('2026-11-30T00:30:00.000Z');
    expect(estimateAt(opens, after, 3, 10).toISOString()).toBe('2026-11-30T01:30:00.000Z');
    expect(estimateAt(opens, after, 3, 10, 2).toISOString()).toBe('2026-11-30T01:15:00.000Z');
    expect(estimateAt(opens, after, 0, 10).toISOString()).toBe(after.toISOString());
  });
});
