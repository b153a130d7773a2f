import { describe, expect, it } from 'vitest';
import { issuesToFieldErrors, pickLocale, problemMessage } from './i18n/problems.js';
import { normalizePhone, passwordSchema, regionCodeSchema } from './validators.js';

describe('normalizePhone', () => {
  it.each([
    ['081234567890', '6281234567890'],
    ['+62 812-3456-7890', '6281234567890'],
    ['6285299887766', '6285299887766'],
    ['(0811) 4455 667', '628114455667'],
  ])('%s → %s', (raw, expected) => expect(normalizePhone(raw)).toBe(expected));

  it.each(['12345', '0411-123456', '+6511234567890', '08123', '6280123456789', ''])('refuses %s', (raw) => expect(normalizePhone(raw)).toBeNull());
});

describe('passwordSchema', () => {
  it('needs 8+ characters with a letter and a digit', () => {
    expect(passwordSchema.safeParse('rahasia123').success).toBe(true);
    expect(passwordSchema.safeParse('rahasia').success).toBe(false);
    expect(passwordSchema.safeParse('12345678').success).toBe(false);
    expect(passwordSchema.safeParse('abcdefgh').success).toBe(false);
    expect(passwordSchema.safeParse(`a1${'x'.repeat(199)}`).success).toBe(false);
  });
});

describe('regionCodeSchema', () => {
  it.each(['73', '73.71', '73.71.13', '73.71.13.1001'])('accepts %s', (c) => expect(regionCodeSchema.safeParse(c).success).toBe(true));
  it.each(['7', '73.7', '73.71.1', '73.71.13.100', '73-71', '73.71.13.1001.1'])('refuses %s', (c) => expect(regionCodeSchema.safeParse(c).success).toBe(false));
});

describe('problem messages', () => {
  it('prefers Indonesian unless English ranks higher', () => {
    expect(pickLocale(undefined)).toBe('id');
    expect(pickLocale('en-US,en;q=0.9')).toBe('en');
    expect(pickLocale('id-ID,id;q=0.9,en;q=0.8')).toBe('id');
    expect(pickLocale('en;q=0.5,id;q=0.9')).toBe('id');
    expect(pickLocale('fr-FR')).toBe('id');
  });

  it('fills placeholders and names types in the language', () => {
    expect(problemMessage('field.too_short', 'id', { minimum: 8 })).toBe('Minimal 8 karakter.');
    expect(problemMessage('field.type', 'id', { expected: 'number' })).toBe('Harus berupa angka.');
    expect(problemMessage('field.type', 'en', { expected: 'number' })).toBe('Must be a number.');
  });

  it('maps zod issues to field errors', () => {
    const fields = issuesToFieldErrors([
      { code: 'too_small', origin: 'string', minimum: 3, path: ['name'], message: '' },
      { code: 'invalid_type', expected: 'string', path: ['email'], message: 'Invalid input: expected string, received undefined' },
      { code: 'unrecognized_keys', keys: ['role'], path: [], message: '' },
      { code: 'custom', path: ['phone'], message: 'field.phone' },
      { code: 'invalid_format', format: 'regex', path: ['nip'], message: 'field.nip' },
      { code: 'invalid_format', format: 'regex', path: ['code'], message: 'Invalid string: must match pattern /x/' },
    ]);
    expect(fields).toEqual([
      { field: 'name', code: 'field.too_short', params: { minimum: 3 } },
      { field: 'email', code: 'field.required', params: {} },
      { field: 'role', code: 'field.unknown', params: { key: 'role' } },
      { field: 'phone', code: 'field.phone', params: {} },
      { field: 'nip', code: 'field.nip', params: {} },
      { field: 'code', code: 'field.format', params: { format: 'regex' } },
    ]);
  });
});
