import { describe, expect, it } from 'vitest';
import { CODE_ALPHABET, formatNumber, isTrackingCode, normalizeTrackingCode, romanMonth, toRoman, trackingCode } from './format.js';

describe('trackingCode', () => {
  it('has the prefix and groups of 4 Crockford symbols, without I, L, O or U', () => {
    for (let i = 0; i < 200; i++) {
      const code = trackingCode('MKS');
      expect(code).toMatch(/^MKS-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
      expect(isTrackingCode(code, 'MKS', 2)).toBe(true);
    }
    expect(trackingCode('TPI', 3)).toMatch(/^TPI(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    expect(CODE_ALPHABET).toHaveLength(32);
    expect(CODE_ALPHABET).not.toMatch(/[ILOU]/);
  });

  it('is random: no repeats, every symbol used about equally in every position (≥ 40 bits)', () => {
    const n = 20_000;
    const seen = new Set<string>();
    const counts = Array.from({ length: 8 }, () => new Map<string, number>());
    for (let i = 0; i < n; i++) {
      const code = trackingCode('A');
      seen.add(code);
      const body = code.slice(2).replace('-', '');
      for (let p = 0; p < 8; p++) counts[p]!.set(body[p]!, (counts[p]!.get(body[p]!) ?? 0) + 1);
    }
    // With 2^40 codes, a repeat among 20,000 has probability ~2e-4.
    expect(seen.size).toBe(n);
    for (const c of counts) {
      expect(c.size).toBe(32);
      // Expected 625 per symbol; a uniform source stays well inside ±30 %.
      for (const v of c.values()) {
        expect(v).toBeGreaterThan(625 * 0.7);
        expect(v).toBeLessThan(625 * 1.3);
      }
    }
    // Consecutive codes are not ordered or close to each other.
    const a = trackingCode('A');
    const b = trackingCode('A');
    expect(a).not.toBe(b);
  });

  it('refuses a bad prefix or size', () => {
    expect(() => trackingCode('mks')).toThrow(/prefix/);
    expect(() => trackingCode('')).toThrow(/prefix/);
    expect(() => trackingCode('TOOLONGX')).toThrow(/prefix/);
    expect(() => trackingCode('MKS', 1)).toThrow(/groups/);
  });
});

describe('isTrackingCode and normalizeTrackingCode', () => {
  it('accepts only canonical codes', () => {
    expect(isTrackingCode('MKS-7H3K-9QXA')).toBe(true);
    expect(isTrackingCode('MKS-7H3K-9QXA', 'MKS')).toBe(true);
    expect(isTrackingCode('MKS-7H3K-9QXA', 'TPI')).toBe(false);
    expect(isTrackingCode('MKS-7H3K-9QXA', 'MKS', 3)).toBe(false);
    for (const bad of ['MKS-7H3K-9QXI', 'MKS-7H3K-9QXO', 'MKS-7H3K-9QXU', 'MKS-7H3K-9QXL', 'mks-7h3k-9qxa', 'MKS-7H3K', 'MKS-7H3K-9QX', 'MKS7H3K9QXA', 'MKS-7H3K-9QXA ', "MKS-7H3K-9QXA' OR 1=1", '']) {
      expect(isTrackingCode(bad), bad).toBe(false);
    }
  });

  it('reads what people type: lower case, spaces, O for 0, I and L for 1', () => {
    expect(normalizeTrackingCode(' mks 7h3k 9qxa ', 'MKS')).toBe('MKS-7H3K-9QXA');
    expect(normalizeTrackingCode('MKS-7H3K-9QXO', 'MKS')).toBe('MKS-7H3K-9QX0');
    expect(normalizeTrackingCode('mks-7h3k-9qxl', 'MKS')).toBe('MKS-7H3K-9QX1');
    expect(normalizeTrackingCode('MKS7H3KI0AB', 'MKS')).toBe('MKS-7H3K-10AB');
    expect(normalizeTrackingCode('MKS-7H3K-9QXU', 'MKS')).toBeNull();
    expect(normalizeTrackingCode('MKS-7H3K-9QX', 'MKS')).toBeNull();
    expect(normalizeTrackingCode('TPI-7H3K-9QXA', 'MKS')).toBeNull();
    expect(normalizeTrackingCode('MKS-7H3K-9QX!', 'MKS')).toBeNull();
    expect(normalizeTrackingCode(`MKS-${'A'.repeat(100)}`, 'MKS')).toBeNull();
    const code = trackingCode('MKS', 3);
    expect(normalizeTrackingCode(code.toLowerCase(), 'MKS', 3)).toBe(code);
  });
});

describe('formatNumber', () => {
  it('writes queue and letter numbers', () => {
    expect(formatNumber('{prefix}-{n:3}', { prefix: 'A', n: 23 })).toBe('A-023');
    expect(formatNumber('{prefix}-{n:3}', { prefix: 'A', n: 1234 })).toBe('A-1234');
    expect(formatNumber('800/{n:4}/{unit}/{month:roman}/{year}', { n: 12, unit: 'DPU', month: 11, year: 2026 })).toBe('800/0012/DPU/XI/2026');
    expect(formatNumber('{n}', { n: '7' })).toBe('7');
    expect(formatNumber('no placeholders', {})).toBe('no placeholders');
  });

  it('throws on a missing value, a malformed placeholder or a non-number to pad', () => {
    expect(() => formatNumber('{prefix}-{n:3}', { prefix: 'A' })).toThrow(/no value for \{n\}/);
    expect(() => formatNumber('{n:x}', { n: 1 })).toThrow(/malformed/);
    expect(() => formatNumber('{n', { n: 1 })).toThrow(/malformed/);
    expect(() => formatNumber('n}', { n: 1 })).toThrow(/malformed/);
    expect(() => formatNumber('{n:3}', { n: 'abc' })).toThrow(/whole number/);
    expect(() => formatNumber('{n:3}', { n: -1 })).toThrow(/whole number/);
    expect(() => formatNumber('{toString}', {})).toThrow(/no value/);
  });
});

describe('Roman numerals', () => {
  it('writes months and numbers', () => {
    expect(['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII']).toEqual(Array.from({ length: 12 }, (_, i) => romanMonth(i + 1)));
    expect(toRoman(2026)).toBe('MMXXVI');
    expect(toRoman(3999)).toBe('MMMCMXCIX');
    expect(() => romanMonth(0)).toThrow(RangeError);
    expect(() => romanMonth(13)).toThrow(RangeError);
    expect(() => romanMonth(1.5)).toThrow(RangeError);
    expect(() => toRoman(4000)).toThrow(RangeError);
  });
});
