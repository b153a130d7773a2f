import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('loadConfig', () => {
  it('takes the public URL from PORT unless it is set', () => {
    expect(loadConfig({}).PUBLIC_URL).toBe('http://localhost:3000');
    expect(loadConfig({ PORT: '3500' }).PUBLIC_URL).toBe('http://localhost:3500');
    expect(loadConfig({ PORT: '3500', PUBLIC_URL: 'https://lapor.makassarkota.go.id' }).PUBLIC_URL).toBe('https://lapor.makassarkota.go.id');
  });

  it('treats an empty variable as unset and refuses a bad one', () => {
    expect(loadConfig({ PORT: '', PUBLIC_URL: '' }).PUBLIC_URL).toBe('http://localhost:3000');
    expect(() => loadConfig({ PUBLIC_URL: 'bukan url' })).toThrow(/PUBLIC_URL/);
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT/);
  });
});
