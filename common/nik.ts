/**
 * NIK (Nomor Induk Kependudukan): 16 digits = 6-digit region (province, regency/city, district),
 * birth date DDMMYY with 40 added to DD for women, and a 4-digit serial.
 */
export type NikError = 'nik.length' | 'nik.digits' | 'nik.region' | 'nik.birth_date' | 'nik.serial';

export interface ParsedNik {
  /** Kemendagri district code, e.g. `73.71.13`. */
  districtCode: string;
  regencyCode: string;
  provinceCode: string;
  sex: 'male' | 'female';
  /** Day and month of birth; the century is not in the NIK. */
  birthDay: number;
  birthMonth: number;
  /** Two-digit year of birth. */
  birthYear2: number;
  serial: string;
}

function daysInMonth(month: number, year: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Parses and checks a NIK's form. The district's existence is checked by the server against the
 * region table. `today` bounds the birth date (a NIK cannot be of someone born in the future).
 */
export function parseNik(raw: string, today: Date = new Date()): { ok: true; nik: ParsedNik } | { ok: false; error: NikError } {
  const nik = raw.replace(/\s/g, '');
  if (!/^\d+$/.test(nik)) return { ok: false, error: 'nik.digits' };
  if (nik.length !== 16) return { ok: false, error: 'nik.length' };
  const province = Number(nik.slice(0, 2));
  if (province < 11 || province > 99 || nik.slice(2, 4) === '00' || nik.slice(4, 6) === '00') return { ok: false, error: 'nik.region' };
  let day = Number(nik.slice(6, 8));
  const month = Number(nik.slice(8, 10));
  const year2 = Number(nik.slice(10, 12));
  const female = day > 40;
  if (female) day -= 40;
  if (month < 1 || month > 12 || day < 1) return { ok: false, error: 'nik.birth_date' };
  // Accept the date if it exists in either century that is not in the future (29 Feb needs a leap year).
  const thisYear = today.getUTCFullYear();
  const candidates = [2000 + year2, 1900 + year2].filter((y) => y <= thisYear);
  const valid = candidates.some((y) => day <= daysInMonth(month, y) && Date.UTC(y, month - 1, day) <= today.getTime());
  if (!valid) return { ok: false, error: 'nik.birth_date' };
  const serial = nik.slice(12);
  if (serial === '0000') return { ok: false, error: 'nik.serial' };
  return {
    ok: true,
    nik: {
      provinceCode: nik.slice(0, 2),
      regencyCode: `${nik.slice(0, 2)}.${nik.slice(2, 4)}`,
      districtCode: `${nik.slice(0, 2)}.${nik.slice(2, 4)}.${nik.slice(4, 6)}`,
      sex: female ? 'female' : 'male',
      birthDay: day,
      birthMonth: month,
      birthYear2: year2,
      serial,
    },
  };
}

/** Shows the region and the last two digits only: `7371 13** **** **45`. */
export function maskNik(nik: string): string {
  if (nik.length !== 16) return '****************';
  return `${nik.slice(0, 4)} ${nik.slice(4, 6)}** **** **${nik.slice(14)}`;
}
