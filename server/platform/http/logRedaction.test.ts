import { describe, expect, it } from 'vitest';
import { redactUrl, requestSerializer } from './logRedaction.js';

describe('request log redaction', () => {
  it('hides personal data and secrets in query strings, keeps the rest', () => {
    expect(redactUrl('/api/v1/complaints/nearby?categoryId=abc&lat=-5.1&text=Rumah%20Pak%20Baso%20banjir')).toBe(
      '/api/v1/complaints/nearby?categoryId=abc&lat=-5.1&text=%5Bredacted%5D',
    );
    expect(redactUrl('/api/v1/complaints/call-centre/callers?phone=081234567890')).toBe('/api/v1/complaints/call-centre/callers?phone=%5Bredacted%5D');
    expect(redactUrl('/api/v1/complaints/track/ADU-1?token=secret')).not.toContain('secret');
    expect(redactUrl('/api/v1/complaints?status=verified&limit=25')).toBe('/api/v1/complaints?status=verified&limit=25');
    expect(redactUrl('/lapor')).toBe('/lapor');
  });

  it('serializes a request with the redacted URL', () => {
    expect(requestSerializer({ method: 'GET', url: '/x?q=nama', hostname: 'localhost', ip: '10.0.0.1' })).toEqual({
      method: 'GET',
      url: '/x?q=%5Bredacted%5D',
      host: 'localhost',
      remoteAddress: '10.0.0.1',
    });
  });
});
