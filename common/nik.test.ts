import { describe, expect, it } from 'vitest';
import { maskNik, parseNik } from './nik.js';

const today = new Date('2026-11-27T00:00:00Z');

describe('parseNik', () => {
  it('reads region, sex and birth date of a man from Rappocini, Makassar', () => {
    const r = parseNik('7371131708850003', today);
    expect(r).toEqual({
      ok: true,
      nik: { provinceCode: '73', regencyCode: '73.71', districtCode: '73.71.13', sex: 'male', birthDay: 17, birthMonth: 8, birthYear2: 85, serial: '0003' },
    });
  });

  it('subtracts 40 from the day for women', () => {
    const r = parseNik('7371135204900012', today);
    expect(r.ok && r.nik.sex).toBe('female');
    expect(r.ok && r.nik.birthDay).toBe(12);
  });

  it.each([
    ['737113170885000', 'nik.length'],
    ['73711317088500031', 'nik.length'],
    ['7371-13170885000', 'nik.digits'],
    ['0971131708850003', 'nik.region'],
    ['7300131708850003', 'nik.region'],
    ['7371001708850003', 'nik.region'],
    ['7371133208850003', 'nik.birth_date'],
    ['7371137208850003', 'nik.birth_date'],
    ['7371131713850003', 'nik.birth_date'],
    ['7371130000850003', 'nik.birth_date'],
    ['7371131708850000', 'nik.serial'],
  ])('refuses %s with %s', (nik, error) => {
    expect(parseNik(nik, today)).toEqual({ ok: false, error });
  });

  it('accepts 29 February only in a leap year of either century', () => {
    expect(parseNik('7371132902000001', today).ok).toBe(true); // 2000
    expect(parseNik('7371132902010001', today).ok).toBe(false); // 1901 and 2001 are not leap years
  });

  it('never reads a birth date in the future: the two-digit year falls back to the last century', () => {
    // 28 Nov "26" seen on 27 Nov 2026 can only be 1926.
    expect(parseNik('7371132811260001', today)).toEqual({ ok: true, nik: expect.objectContaining({ birthYear2: 26 }) });
    // 29 Feb "28": 2028 is in the future and 1928 was a leap year, so it is valid…
    expect(parseNik('7371132902280001', today).ok).toBe(true);
    // …but 29 Feb "27": 2027 is in the future and 1927 was not a leap year.
    expect(parseNik('7371132902270001', today)).toEqual({ ok: false, error: 'nik.birth_date' });
  });

  it('ignores spaces', () => {
    expect(parseNik('7371 1317 0885 0003', today).ok).toBe(true);
  });
});

describe('maskNik', () => {
  it('keeps the region and last two digits', () => {
    expect(maskNik('7371131708850003')).toBe('7371 13** **** **03');
  });
});
