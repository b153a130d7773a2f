import { describe, expect, it } from 'vitest';
import { maskEmail, maskNik, maskPhone } from './mask.js';

describe('masking personal data', () => {
  it('masks e-mail addresses but keeps the domain', () => {
    expect(maskEmail('wahyuda@example.com')).toBe('w***a@example.com');
    expect(maskEmail('wa@example.com')).toBe('w***a@example.com');
    expect(maskEmail('w@example.com')).toBe('w***@example.com');
    expect(maskEmail('not-an-address')).toBe('***');
    expect(maskEmail(null)).toBeNull();
  });

  it('masks mobile numbers except the operator prefix and the last three digits', () => {
    expect(maskPhone('6281234567890')).toBe('6281******890');
    expect(maskPhone('628123456')).toBe('6281**456');
    expect(maskPhone('12345')).toBe('***45');
    expect(maskPhone(undefined)).toBeNull();
  });

  it('masks a NIK after its region part', () => {
    expect(maskNik('7371014507900001')).toBe('737101**********');
    expect(maskNik('')).toBe('');
  });
});
