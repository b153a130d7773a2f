import { randomBytes } from 'node:crypto';

/**
 * Crockford's base32 alphabet: digits and upper-case letters without I, L, O and U, so that a code
 * read aloud or typed from paper cannot confuse 1/I/L or 0/O.
 */
export const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const GROUP = 4;
const PREFIX_RE = /^[A-Z0-9]{1,6}$/;

/**
 * A random tracking code for citizens to type, e.g. `MKS-7H3K-9QXA`: the prefix and `groups`
 * groups of 4 symbols, each symbol 5 random bits from the operating system's CSPRNG (2 groups =
 * 40 bits, 3 groups = 60 bits). Not sequential: knowing one code tells nothing about another.
 * Store it with a unique index and retry on the (unlikely) collision.
 */
export function trackingCode(prefix: string, groups = 2): string {
  if (!PREFIX_RE.test(prefix)) throw new RangeError(`tracking code prefix must be 1-6 of A-Z0-9: "${prefix}"`);
  if (!Number.isInteger(groups) || groups < 2 || groups > 6) throw new RangeError('tracking code groups must be 2-6');
  // 256 is a multiple of 32: masking each byte to 5 bits is uniform.
  const bytes = randomBytes(groups * GROUP);
  const parts: string[] = [prefix];
  for (let g = 0; g < groups; g++) {
    let part = '';
    for (let i = 0; i < GROUP; i++) part += CODE_ALPHABET[bytes[g * GROUP + i]! & 31];
    parts.push(part);
  }
  return parts.join('-');
}

/**
 * A code as a person typed it, in canonical form: upper case, spaces and hyphens anywhere,
 * O read as 0 and I/L as 1 (Crockford's decoding rules). Returns null when it cannot be a code of
 * that shape; the result still has to be looked up.
 */
export function normalizeTrackingCode(input: string, prefix: string, groups = 2): string | null {
  if (input.length > 60) return null;
  const compact = input.toUpperCase().replace(/[\s-]/g, '');
  if (!compact.startsWith(prefix)) return null;
  const body = compact
    .slice(prefix.length)
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  if (body.length !== groups * GROUP) return null;
  for (const ch of body) if (!CODE_ALPHABET.includes(ch)) return null;
  const parts: string[] = [prefix];
  for (let g = 0; g < groups; g++) parts.push(body.slice(g * GROUP, (g + 1) * GROUP));
  return parts.join('-');
}

/** Whether `code` is a canonical tracking code (with the given prefix, when given). */
export function isTrackingCode(code: string, prefix?: string, groups?: number): boolean {
  const m = /^([A-Z0-9]{1,6})((?:-[0-9A-HJKMNP-TV-Z]{4}){2,6})$/.exec(code);
  if (!m) return false;
  if (prefix !== undefined && m[1] !== prefix) return false;
  if (groups !== undefined && m[2]!.length !== groups * (GROUP + 1)) return false;
  return true;
}

const ROMAN: [number, string][] = [
  [1000, 'M'],
  [900, 'CM'],
  [500, 'D'],
  [400, 'CD'],
  [100, 'C'],
  [90, 'XC'],
  [50, 'L'],
  [40, 'XL'],
  [10, 'X'],
  [9, 'IX'],
  [5, 'V'],
  [4, 'IV'],
  [1, 'I'],
];

/** A number 1–3999 in Roman numerals. */
export function toRoman(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 3999) throw new RangeError(`no Roman numeral for ${n}`);
  let out = '';
  for (const [v, s] of ROMAN) {
    while (n >= v) {
      out += s;
      n -= v;
    }
  }
  return out;
}

/** A month 1–12 in Roman numerals, as Indonesian letter numbers write it (11 → `XI`). */
export function romanMonth(month: number): string {
  if (!Number.isInteger(month) || month < 1 || month > 12) throw new RangeError(`month must be 1-12, got ${month}`);
  return toRoman(month);
}

/**
 * Fills a number template: `{name}` inserts a value, `{name:N}` zero-pads a whole number to N
 * digits (longer numbers are kept whole), `{name:roman}` writes it in Roman numerals. Everything
 * else is copied; templates cannot contain literal braces. Examples:
 * `formatNumber('{prefix}-{n:3}', { prefix: 'A', n: 23 })` → `A-023`;
 * `formatNumber('800/{n:4}/{unit}/{month:roman}/{year}', { n: 12, unit: 'DPU', month: 11, year: 2026 })`
 * → `800/0012/DPU/XI/2026`. A missing value or a malformed placeholder throws.
 */
export function formatNumber(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{([^{}]*)\}|[{}]/g, (whole, inner: string | undefined) => {
    const m = inner === undefined ? null : /^([A-Za-z_][A-Za-z0-9_]*)(?::(\d{1,2}|roman))?$/.exec(inner);
    if (!m) throw new RangeError(`malformed placeholder ${whole} in "${template}"`);
    const [, name, format] = m as unknown as [string, string, string | undefined];
    if (!Object.hasOwn(values, name)) throw new RangeError(`no value for {${name}} in "${template}"`);
    const value = values[name]!;
    if (format === undefined) return String(value);
    const n = typeof value === 'number' ? value : Number(value);
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`{${name}} must be a whole number ≥ 0, got ${value}`);
    if (format === 'roman') return toRoman(n);
    return String(n).padStart(Number(format), '0');
  });
}
