import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

const get = (url: string) => t.app.inject({ method: 'GET', url });

describe('GET /api/v1/regions', () => {
  it('lists the 15 kecamatan of Kota Makassar by name, with their province and city', async () => {
    const res = await get('/api/v1/regions?parent=73.71&limit=100');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.items).toHaveLength(15);
    expect(body.nextCursor).toBeNull();
    const names = body.items.map((r: any) => r.name);
    expect(names).toEqual([...names].sort((a: string, b: string) => a.localeCompare(b)));
    expect(names).toContain('Rappocini');
    const rappocini = body.items.find((r: any) => r.name === 'Rappocini');
    expect(rappocini).toEqual({
      code: '73.71.13',
      name: 'Rappocini',
      level: 3,
      parentCode: '73.71',
      province: { code: '73', name: 'Sulawesi Selatan' },
      regency: { code: '73.71', name: 'Kota Makassar' },
      district: null,
    });
  });

  it('pages through children with a cursor, without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await get(`/api/v1/regions?parent=73.71&limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      seen.push(...body.items.map((r: any) => r.code));
      cursor = body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(4);
    expect(seen).toHaveLength(15);
    expect(new Set(seen).size).toBe(15);
  });

  it('lists the provinces without a parent, and the 153 kelurahan of Makassar with level=4', async () => {
    const provinces = (await get('/api/v1/regions?limit=100')).json();
    expect(provinces.items).toHaveLength(38);
    expect(provinces.items.every((p: any) => p.level === 1 && p.parentCode === null)).toBe(true);

    const first = (await get('/api/v1/regions?parent=73.71&level=4&limit=100')).json();
    expect(first.items).toHaveLength(100);
    expect(first.items[0].district).not.toBeNull();
    const second = (await get(`/api/v1/regions?parent=73.71&level=4&limit=100&cursor=${first.nextCursor}`)).json();
    expect(second.items).toHaveLength(53);
    expect(second.nextCursor).toBeNull();
    expect(second.items.every((v: any) => v.code.startsWith('73.71.') && v.level === 4)).toBe(true);
  });

  it('finds Rappocini from the typo "rapocini", best match first', async () => {
    const res = await get('/api/v1/regions?q=rapocini');
    expect(res.statusCode).toBe(200);
    expect(res.json().items[0]).toMatchObject({ code: '73.71.13', name: 'Rappocini', regency: { name: 'Kota Makassar' } });
    expect(res.json().nextCursor).toBeNull();
  });

  it('searches below a parent at a level: "tama" in Makassar finds Tamalate and Tamalanrea', async () => {
    const res = await get('/api/v1/regions?parent=73.71&q=tama&level=3');
    expect(res.statusCode).toBe(200);
    const items = res.json().items;
    expect(items.map((r: any) => r.name).sort()).toEqual(['Tamalanrea', 'Tamalate']);
    expect(items.every((r: any) => r.code.startsWith('73.71.') && r.level === 3)).toBe(true);
  });

  it('searches the whole country by city name, case-insensitively', async () => {
    const res = await get('/api/v1/regions?q=TANJUNGPINANG&level=2');
    expect(res.json().items[0]).toMatchObject({ code: '21.72', name: 'Kota Tanjung Pinang', province: { code: '21' } });
    const capped = await get('/api/v1/regions?q=kota&limit=3');
    expect(capped.json().items).toHaveLength(3);
  });

  it('serves the same reference data under every tenant', async () => {
    const res = await get('/t/tanjungpinang/api/v1/regions?parent=21.72');
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toHaveLength(4);
  });

  it('answers an unknown parent with 404 region_not_found', async () => {
    const res = await get('/api/v1/regions?parent=99.99');
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('region_not_found');
    expect(res.headers['content-type']).toMatch(/problem\+json/);
  });

  it.each([
    ['parent=73.7', 'querystring.parent'],
    ['parent=abc', 'querystring.parent'],
    ['parent=73.71.01.10011', 'querystring.parent'],
    ['parent=73.71&limit=101', 'querystring.limit'],
    ['parent=73.71&limit=0', 'querystring.limit'],
    ['parent=73.71&limit=lima', 'querystring.limit'],
    ['q=ab', 'querystring.q'],
    ['level=5', 'querystring.level'],
    ['parent=73.71&level=2', 'querystring.level'],
    ['parent=73&level=4', 'querystring.level'],
    ['parent=73.71&cursor=bukan-kursor', 'querystring.cursor'],
    ['q=makassar&cursor=WyJhIiwiYiJd', 'querystring.cursor'],
    ['parent=73.71&sort=name', 'querystring.sort'],
  ])('refuses ?%s with a field error on %s', async (qs, field) => {
    const res = await get(`/api/v1/regions?${qs}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: any) => e.field)).toContain(field);
    // Every message comes from the catalogue (a missing entry would show the bare code).
    for (const e of res.json().errors) expect(e.message).not.toMatch(/^[a-z_]+(\.[a-z_]+)+$/);
  });
});

describe('GET /api/v1/regions/:code', () => {
  it('returns a district with its province and city, and how many kelurahan it has', async () => {
    const res = await get('/api/v1/regions/73.71.13');
    expect(res.statusCode).toBe(200);
    const [{ n }] = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM regions WHERE parent_code = '73.71.13'`);
    expect(n).toBeGreaterThan(5);
    expect(res.json()).toEqual({
      code: '73.71.13',
      name: 'Rappocini',
      level: 3,
      parentCode: '73.71',
      province: { code: '73', name: 'Sulawesi Selatan' },
      regency: { code: '73.71', name: 'Kota Makassar' },
      district: null,
      childCount: n,
    });
  });

  it('returns a kelurahan with all three ancestors, and a province with none', async () => {
    const [v] = await t.db.query<{ code: string; name: string }>(`SELECT code, name FROM regions WHERE parent_code = '73.71.13' ORDER BY code LIMIT 1`);
    const village = (await get(`/api/v1/regions/${v.code}`)).json();
    expect(village).toMatchObject({ code: v.code, name: v.name, level: 4, childCount: 0, district: { code: '73.71.13', name: 'Rappocini' }, regency: { code: '73.71' } });
    const province = (await get('/api/v1/regions/73')).json();
    expect(province).toMatchObject({ name: 'Sulawesi Selatan', level: 1, parentCode: null, province: null, regency: null, district: null, childCount: 24 });
  });

  it('answers a malformed code with 400 and an unknown one with 404', async () => {
    const bad = await get('/api/v1/regions/7371');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('params.code');
    const unknown = await get('/api/v1/regions/73.99');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('region_not_found');
    expect(unknown.headers['cache-control']).toBeUndefined();
  });
});
