import { describe, expect, it } from 'vitest';
import { serverPort } from '../support/server-process.js';

describe('ports of test servers', () => {
  it('are ports fetch() may connect to, whatever the test process id', async () => {
    // 3659 is one of the Fetch standard's bad ports: fetch fails at once, without connecting.
    await expect(fetch('http://127.0.0.1:3659/')).rejects.toMatchObject({ cause: { message: 'bad port' } });
    const ports = Array.from({ length: 200 * 3 }, (_, i) => serverPort(Math.floor(i / 3), i % 3));
    expect(ports).not.toContain(3659);
    expect(new Set(ports).size).toBe(600);
    // The process whose second server fell on 3659 (pid ≡ 86 mod 200) gets one fetch reaches.
    const moved = serverPort(86, 1);
    const refused = await fetch(`http://127.0.0.1:${moved}/`).then(
      () => null,
      (e) => (e as { cause?: { message?: string; code?: string } }).cause,
    );
    expect(refused?.message).not.toBe('bad port');
  });
});
