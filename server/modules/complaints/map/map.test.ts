import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO, type Session, type TestApp } from '../../../../test/support/app.js';
import { call, categoryId, roadReport } from '../testSupport.js';
import { sql } from 'drizzle-orm';
import { cellRange, GRID_BITS, gridX, gridY, latOf, lngOf, MAX_LEVEL, MIN_LEVEL, POINT_COLUMN_LEVEL, parseBBox, pointColumns, pointLimit } from './grid.js';
import { pointsSql, publicListSql } from './queries.js';

let t: TestApp;
let dataDir: string;
let admin: Session;
let officer: Session;
let citizen: Session;
let tpiAdmin: Session;
let road: string;
let rubbish: string;

/** Makassar's report area (seed) and a box around it at zoom 12 (≈ 6 tiles across). */
const CITY = '119.0,-5.25,119.55,-4.9';
const TPI_PREFIX = '/t/tanjungpinang';

beforeAll(async () => {
  mkdirSync('.tmp', { recursive: true });
  dataDir = mkdtempSync(join('.tmp', 'complaints-map-'));
  t = await createTestApp({ env: { DATA_DIR: dataDir, LOG_LEVEL: process.env.MAP_TEST_LOG ?? 'silent' } });
  admin = await t.login(DEMO.admin);
  officer = await t.login('pengaduan@makassarkota.go.id');
  citizen = await t.login(DEMO.citizen);
  tpiAdmin = await t.login(DEMO.tpiAdmin, { tenant: 'tanjungpinang' });
  road = await categoryId(t, 'Jalan rusak/berlubang');
  rubbish = await categoryId(t, 'Sampah menumpuk');
});
afterAll(async () => {
  await t.close();
  rmSync(dataDir, { recursive: true, force: true });
});

let seq = 0;
/** Files a report near the given point (a few metres apart each time) and returns it. */
async function submit(o: { lat?: number; lng?: number; category?: string; reporter?: boolean } = {}) {
  seq++;
  const lat = (o.lat ?? -5.1689) + seq * 1e-5;
  const lng = (o.lng ?? 119.4102) + seq * 1e-5;
  const body = roadReport(o.category ?? road, {
    location: { lat, lng },
    ...(o.category && o.category !== road ? { attributes: {} } : {}),
    ...(o.reporter ? { reporter: { name: 'Budi Santoso Rahasia', phone: '081234567890', email: 'budi.rahasia@example.com' } } : {}),
  });
  const res = await call(t, null, 'POST', '/api/v1/complaints', body);
  expect(res.statusCode, res.body).toBe(201);
  return { ...(res.json() as { id: string; trackingCode: string }), lat, lng };
}

const act = (s: Session, id: string, action: string, body: unknown = {}) => call(t, s, 'POST', `/api/v1/complaints/${id}/${action}`, body);
async function verify(id: string) {
  const res = await act(officer, id, 'verify');
  expect(res.statusCode, res.body).toBe(200);
}

async function map(query: string, s: Session | null = null, prefix?: string) {
  const res = await call(t, s, 'GET', `/api/v1/complaints/map?${query}`, undefined, prefix === undefined ? {} : { prefix });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as {
    mode: 'clusters' | 'points';
    level: number | null;
    total: number;
    truncated: boolean;
    clusters: { lat: number; lng: number; count: number; verified: number; inProgress: number; resolved: number }[];
    points: { trackingCode: string; status: string; statusGroup: string; lat: number; lng: number }[];
  };
}
async function list(query = '', prefix?: string) {
  const res = await call(t, null, 'GET', `/api/v1/complaints/public?${query}`, undefined, prefix === undefined ? {} : { prefix });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { items: { trackingCode: string; status: string; statusGroup: string; category: { id: string } }[]; nextCursor: string | null };
}
async function listAll(query = ''): Promise<string[]> {
  const codes: string[] = [];
  let cursor: string | null = null;
  do {
    const page = await list(`${query}&limit=100${cursor ? `&cursor=${cursor}` : ''}`);
    codes.push(...page.items.map((i) => i.trackingCode));
    cursor = page.nextCursor;
  } while (cursor);
  return codes;
}

/** A small box (zoom 18) around a point. */
/** The box a screen of w × h CSS pixels shows at a zoom around a point (Web Mercator, near the equator). */
function screen(lat: number, lng: number, zoom: number, w: number, h: number) {
  const degPerPx = 360 / 256 / 2 ** zoom;
  const dx = (w / 2) * degPerPx;
  const dy = (h / 2) * degPerPx * Math.cos((lat * Math.PI) / 180);
  return { west: lng - dx, south: lat - dy, east: lng + dx, north: lat + dy };
}
const bboxOf = (b: { west: number; south: number; east: number; north: number }) => [b.west, b.south, b.east, b.north].map((v) => v.toFixed(6)).join(',');

function around(lat: number, lng: number, d = 0.0005): string {
  return `${lng - d},${lat - d},${lng + d},${lat + d}`;
}

/** Public reports of Makassar counted from complaints themselves. */
async function visibleCount(extra = '', located = true): Promise<number> {
  const [row] = await t.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM complaints c JOIN tenants tn ON tn.id = c.tenant_id JOIN complaint_categories cat ON cat.tenant_id = c.tenant_id AND cat.id = c.category_id
      WHERE tn.slug = 'makassar' AND cat.public AND NOT c.hidden ${located ? 'AND c.lat IS NOT NULL' : ''}
        AND c.status IN ('verified', 'disposed', 'in_progress', 'needs_info', 'resolved', 'closed', 'reopened') ${extra}`,
  );
  return row.n;
}

/**
 * Differences between the rollup and a recount of every tenant's public reports, at every level:
 * an empty list when the triggers kept it exact.
 */
async function rollupDrift(): Promise<unknown[]> {
  const truth = (publicOnly: boolean) => `
       SELECT c.tenant_id, l.level, complaint_map_x(c.lng) >> (24 - l.level) AS cell_x, complaint_map_y(c.lat) >> (24 - l.level) AS cell_y,
              c.category_id, coalesce(c.kecamatan_code, '') AS kecamatan_code, complaint_map_group(c.status) AS status_group, c.lat, c.lng, c.submitted_at
         FROM complaints c CROSS JOIN generate_series(3, 17) AS l (level)
         JOIN complaint_categories cat ON cat.tenant_id = c.tenant_id AND cat.id = c.category_id ${publicOnly ? 'AND cat.public' : ''}
        WHERE c.lat IS NOT NULL AND NOT c.hidden AND complaint_map_group(c.status) IS NOT NULL`;
  const cells = await t.db.query(
    `WITH truth AS (SELECT tenant_id, level, cell_x, cell_y, category_id, kecamatan_code, status_group, count(*)::int AS reports, sum(lat) AS sum_lat, sum(lng) AS sum_lng
                      FROM (${truth(false)}) x GROUP BY 1, 2, 3, 4, 5, 6, 7),
          kept AS (SELECT * FROM complaint_map_cells WHERE reports <> 0)
     SELECT 'cells' AS rollup, coalesce(a.level, b.level) AS level, a.reports AS expected, b.reports AS actual
       FROM truth a FULL JOIN kept b USING (tenant_id, level, cell_x, cell_y, category_id, kecamatan_code, status_group)
      WHERE a.reports IS DISTINCT FROM b.reports OR abs(a.sum_lat - b.sum_lat) > 1e-6 OR abs(a.sum_lng - b.sum_lng) > 1e-6`,
  );
  const totals = await t.db.query(
    `WITH truth AS (SELECT tenant_id, level, cell_x, cell_y, status_group, count(*)::int AS reports, sum(lat) AS sum_lat, sum(lng) AS sum_lng
                      FROM (${truth(true)}) x GROUP BY 1, 2, 3, 4, 5),
          kept AS (SELECT * FROM complaint_map_totals WHERE reports <> 0)
     SELECT 'totals' AS rollup, coalesce(a.level, b.level) AS level, a.reports AS expected, b.reports AS actual
       FROM truth a FULL JOIN kept b USING (tenant_id, level, cell_x, cell_y, status_group)
      WHERE a.reports IS DISTINCT FROM b.reports OR abs(a.sum_lat - b.sum_lat) > 1e-6 OR abs(a.sum_lng - b.sum_lng) > 1e-6`,
  );
  const days = await t.db.query(
    `WITH truth AS (SELECT tenant_id, level, day, cell_x, cell_y, status_group, count(*)::int AS reports, sum(lat) AS sum_lat, sum(lng) AS sum_lng
                      FROM (SELECT x.*, complaint_map_day(x.tenant_id, x.submitted_at) AS day FROM (${truth(true)}) x) y GROUP BY 1, 2, 3, 4, 5, 6),
          kept AS (SELECT * FROM complaint_map_days WHERE reports <> 0)
     SELECT 'days' AS rollup, coalesce(a.level, b.level) AS level, a.reports AS expected, b.reports AS actual
       FROM truth a FULL JOIN kept b USING (tenant_id, level, day, cell_x, cell_y, status_group)
      WHERE a.reports IS DISTINCT FROM b.reports OR abs(a.sum_lat - b.sum_lat) > 1e-6 OR abs(a.sum_lng - b.sum_lng) > 1e-6`,
  );
  return [...cells, ...totals, ...days];
}

describe('grid', () => {
  it('matches the SQL functions of the rollup', async () => {
    for (const [lat, lng] of [
      [-5.1689, 119.4102],
      [0.91, 104.45],
      [-4.9, 119.55],
      [60.1, -70.25],
    ]) {
      const [row] = await t.db.query<{ x: number; y: number }>('SELECT complaint_map_x($1) AS x, complaint_map_y($2) AS y', [lng, lat]);
      expect([row.x, row.y]).toEqual([gridX(lng), gridY(lat)]);
    }
    expect(lngOf(gridX(119.4102))).toBeCloseTo(119.4102, 4);
    expect(latOf(gridY(-5.1689))).toBeCloseTo(-5.1689, 4);
    const r = cellRange(parseBBox(CITY, 12), 14);
    expect(r.x0).toBeLessThanOrEqual(r.x1);
    expect(r.y0).toBeLessThanOrEqual(r.y1);
    expect([MIN_LEVEL, MAX_LEVEL]).toEqual([3, 17]);
  });

  it('sends one pin per 32 × 32 px of the screen, 100 to 500', () => {
    // A phone (360 × 640 px) gets ~225 at any zoom (the box is drawn approximately here); a desktop
    // screen the most; a sliver the fewest.
    for (const z of [16, 18, 20]) {
      const n = pointLimit(screen(-5.14, 119.43, z, 360, 640), z);
      expect(n).toBeGreaterThanOrEqual(215);
      expect(n).toBeLessThanOrEqual(230);
    }
    expect(pointLimit(screen(-5.14, 119.43, 18, 1280, 800), 18)).toBe(500);
    expect(pointLimit(screen(-5.14, 119.43, 18, 100, 100), 18)).toBe(100);
  });
});

describe('bounding box and filters', () => {
  it.each([
    ['bbox=1,2,3&zoom=12', 'complaints.map_bbox_format'],
    ['bbox=a,b,c,d&zoom=12', 'complaints.map_bbox_format'],
    ['bbox=119.4,-5.2,119.5,-5.1,3&zoom=12', 'complaints.map_bbox_format'],
    ['bbox=119.4,-5.2,Infinity,-5.1&zoom=12', 'complaints.map_bbox_format'],
    ['bbox=119.5,-5.2,119.4,-5.1&zoom=12', 'complaints.map_bbox_inverted'],
    ['bbox=119.4,-5.1,119.5,-5.2&zoom=12', 'complaints.map_bbox_inverted'],
    ['bbox=119.4,-95,119.5,-5.1&zoom=12', 'complaints.map_bbox_range'],
    ['bbox=-181,-5.2,119.5,-5.1&zoom=12', 'complaints.map_bbox_range'],
    // The whole city at zoom 17 is hundreds of tiles across.
    [`bbox=${CITY}&zoom=17`, 'complaints.map_bbox_too_large'],
    [`bbox=${CITY}&zoom=14`, 'complaints.map_bbox_too_large'],
  ])('%s → 400 on bbox (%s)', async (query, code) => {
    const res = await call(t, null, 'GET', `/api/v1/complaints/map?${query}`);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().errors).toEqual([expect.objectContaining({ field: 'querystring.bbox', code })]);
  });

  it.each([
    [`bbox=${CITY}`, 'querystring.zoom'],
    [`bbox=${CITY}&zoom=23`, 'querystring.zoom'],
    [`bbox=${CITY}&zoom=1.5`, 'querystring.zoom'],
    [`zoom=12`, 'querystring.bbox'],
    [`bbox=${CITY}&zoom=12&status=submitted`, 'querystring.status'],
    [`bbox=${CITY}&zoom=12&category=jalan`, 'querystring.category'],
    [`bbox=${CITY}&zoom=12&kecamatan=73.71.10.1004`, 'querystring.kecamatan'],
    [`bbox=${CITY}&zoom=12&from=2026-13-01`, 'querystring.from'],
    [`bbox=${CITY}&zoom=12&from=2026-05-02&to=2026-05-01`, 'querystring.to'],
    [`bbox=${CITY}&zoom=12&from=kemarin`, 'querystring.from'],
  ])('%s → 400 on %s', async (query, field) => {
    const res = await call(t, null, 'GET', `/api/v1/complaints/map?${query}`);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('refuses bad list filters and forged cursors', async () => {
    for (const [query, field] of [
      ['status=rejected', 'querystring.status'],
      ['limit=101', 'querystring.limit'],
      ['cursor=bm90LWEtY3Vyc29y', 'querystring.cursor'],
      ['from=2026-02-30x', 'querystring.from'],
    ]) {
      const res = await call(t, null, 'GET', `/api/v1/complaints/public?${query}`);
      expect(res.statusCode, `${query}: ${res.body}`).toBe(400);
      expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    }
  });
});

describe('what is public', () => {
  it('shows a report only once verified, without its reporter, on the map, in the list and as a point', async () => {
    const before = await map(`bbox=${CITY}&zoom=12`);
    const c = await submit({ lat: -5.135, lng: 119.42, reporter: true });
    // Submitted: nowhere.
    expect((await map(`bbox=${CITY}&zoom=12`)).total).toBe(before.total);
    expect((await map(`bbox=${around(c.lat, c.lng)}&zoom=18`)).points.map((p) => p.trackingCode)).not.toContain(c.trackingCode);
    expect(await listAll()).not.toContain(c.trackingCode);
    expect(await rollupDrift()).toEqual([]);

    await verify(c.id);
    const after = await map(`bbox=${CITY}&zoom=12`);
    expect(after.mode).toBe('clusters');
    expect(after.total).toBe(before.total + 1);
    const near = await map(`bbox=${around(c.lat, c.lng)}&zoom=18`);
    expect(near.mode).toBe('points');
    const point = near.points.find((p) => p.trackingCode === c.trackingCode);
    expect(point).toMatchObject({ status: 'verified', statusGroup: 'verified', lat: c.lat, lng: c.lng, categoryName: 'Jalan rusak/berlubang' });
    // A pin carries no text (its popup loads the public report when opened).
    expect(Object.keys(point ?? {}).sort()).toEqual(['categoryIcon', 'categoryId', 'categoryName', 'lat', 'lng', 'status', 'statusGroup', 'submittedAt', 'trackingCode']);
    const page = await list();
    expect(page.items.find((i) => i.trackingCode === c.trackingCode)).toMatchObject({ statusGroup: 'verified' });
    // Nothing of the reporter anywhere.
    for (const body of [JSON.stringify(near), JSON.stringify(page)]) {
      expect(body).not.toMatch(/Budi|081234567890|budi\.rahasia|reporter|accessToken/i);
    }
    expect(await rollupDrift()).toEqual([]);
  });

  it('sums the clusters to the public reports, at every zoom and with every filter', async () => {
    const a = await submit({ lat: -5.14, lng: 119.43 });
    const b = await submit({ lat: -5.09, lng: 119.47, category: rubbish });
    const c = await submit({ lat: -5.2, lng: 119.41 });
    for (const r of [a, b, c]) await verify(r.id);
    const dispose = await act(officer, c.id, 'dispose', { unitId: (await t.db.query<{ id: string }>("SELECT u.id FROM units u JOIN tenants t ON t.id = u.tenant_id WHERE t.slug = 'makassar' AND u.code = 'DPU-BM'"))[0].id });
    expect(dispose.statusCode, dispose.body).toBe(200);

    const total = await visibleCount();
    expect(total).toBeGreaterThanOrEqual(4);
    for (const zoom of [0, 5, 9, 10, 12, 13]) {
      const m = await map(`bbox=${CITY}&zoom=${zoom}`);
      expect(m.mode).toBe('clusters');
      expect(m.clusters.reduce((s, x) => s + x.count, 0)).toBe(total);
      expect(m.total).toBe(total);
      for (const cl of m.clusters) expect(cl.verified + cl.inProgress + cl.resolved).toBe(cl.count);
    }
    // Filters: category, status group, kecamatan (Tamalate of roadReport), period.
    const byCat = await map(`bbox=${CITY}&zoom=12&category=${rubbish}`);
    expect(byCat.total).toBe(await visibleCount(`AND c.category_id = '${rubbish}'`));
    const inProgress = await map(`bbox=${CITY}&zoom=12&status=in_progress`);
    expect(inProgress.total).toBe(await visibleCount(`AND c.status IN ('disposed', 'in_progress', 'needs_info', 'reopened')`));
    expect(inProgress.clusters.every((x) => x.inProgress === x.count)).toBe(true);
    const kec = await map(`bbox=${CITY}&zoom=12&kecamatan=73.71.10`);
    expect(kec.total).toBe(await visibleCount(`AND c.kecamatan_code = '73.71.10'`));
    expect((await map(`bbox=${CITY}&zoom=12&kecamatan=73.71.01`)).total).toBe(await visibleCount(`AND c.kecamatan_code = '73.71.01'`));
    // A period goes to the reports themselves and counts the same. Its days are the tenant's
    // (WITA). The demo seed dates its reports by the real time and this test's by its fake clock,
    // so the period ends on the latest local day of either.
    const [{ last }] = await t.db.query<{ last: string }>(
      "SELECT to_char(max((submitted_at AT TIME ZONE 'Asia/Makassar')::date), 'YYYY-MM-DD') AS last FROM complaints",
    );
    const period = await map(`bbox=${CITY}&zoom=12&from=2000-01-01&to=${last}`);
    expect(period.total).toBe(total);
    expect(period.clusters.length).toBe((await map(`bbox=${CITY}&zoom=12`)).clusters.length);
    expect((await map(`bbox=${CITY}&zoom=12&to=2000-01-01`)).total).toBe(0);
    // A period reads the rollup per local day (WITA), with a category the reports: both agree.
    const witaToday = new Date(t.clock.now().getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
    const onDay = await map(`bbox=${CITY}&zoom=12&from=${witaToday}&to=${witaToday}`);
    expect(onDay.total).toBe(await visibleCount(`AND (c.submitted_at AT TIME ZONE 'Asia/Makassar')::date = '${witaToday}'`));
    expect(onDay.total).toBeGreaterThan(0);
    expect((await map(`bbox=${CITY}&zoom=12&from=2000-01-01&to=${last}&category=${rubbish}`)).total).toBe(byCat.total);
    expect((await map(`bbox=${CITY}&zoom=12&from=2000-01-01&status=in_progress`)).total).toBe(inProgress.total);
    // The list agrees (it also has the public reports without coordinates).
    expect((await listAll('')).length).toBe(await visibleCount('', false));
    expect(await listAll(`category=${rubbish}`)).toContain(b.trackingCode);
    expect(await listAll(`category=${rubbish}`)).not.toContain(a.trackingCode);
    expect(await listAll('status=in_progress')).toContain(c.trackingCode);
    expect(await listAll('status=in_progress')).not.toContain(a.trackingCode);
  });

  it('shows points from zoom 16 when few, clusters when many, and newest points first from zoom 18', async () => {
    const r = await submit({ lat: -5.11, lng: 119.44 });
    await verify(r.id);
    const box = around(r.lat, r.lng, 0.003);
    const z16 = await map(`bbox=${box}&zoom=16`);
    expect(z16.mode).toBe('points');
    expect(z16.points.map((p) => p.trackingCode)).toContain(r.trackingCode);
    const z15 = await map(`bbox=${box}&zoom=15`);
    expect(z15.mode).toBe('clusters');
    expect(z15.level).toBe(17);
  });

  it('sends a phone at most the pins its screen can show, the newest first, and says there are more', async () => {
    const [{ id: tenantId }] = await t.db.query<{ id: string }>("SELECT id FROM tenants WHERE slug = 'makassar'");
    // 300 verified reports around one corner of Pasar Sentral, newest last.
    await t.db.query(
      `INSERT INTO complaints (tenant_id, id, tracking_code, category_id, kind, status, description, lat, lng, kecamatan_code, unit_id, submitted_at, updated_at)
       SELECT $1, ('01900000-0000-7000-a000-' || lpad(to_hex(g), 12, '0'))::uuid, 'ADU-S' || g, $2, 'pengaduan', 'verified', 'Laporan uji layar nomor ' || g,
              -5.1301 + (g % 17) * 0.00005, 119.4101 + (g / 17) * 0.00005, '73.71.05', cat.default_unit_id, now() - ((400 - g) || ' minutes')::interval, now()
         FROM generate_series(1, 300) g, complaint_categories cat WHERE cat.tenant_id = $1 AND cat.id = $2`,
      [tenantId, road],
    );
    const at = [-5.1297, 119.4105] as const;
    const phone = await map(`bbox=${bboxOf(screen(at[0], at[1], 18, 360, 640))}&zoom=18`);
    expect(phone.mode).toBe('points');
    expect(phone.truncated).toBe(true);
    const limit = pointLimit(screen(at[0], at[1], 18, 360, 640), 18);
    expect(phone.points).toHaveLength(limit);
    expect(phone.points[0].trackingCode).toBe('ADU-S300');
    expect(phone.points.at(-1)!.trackingCode).toBe(`ADU-S${300 - limit + 1}`);
    // A desktop screen shows them all.
    const desktop = await map(`bbox=${bboxOf(screen(at[0], at[1], 18, 1280, 800))}&zoom=18`);
    expect(desktop.truncated).toBe(false);
    expect(desktop.points.filter((p) => p.trackingCode.startsWith('ADU-S'))).toHaveLength(300);
    // At zoom 17, more than a phone can show are clusters; a desktop gets the pins.
    expect((await map(`bbox=${bboxOf(screen(at[0], at[1], 17, 360, 640))}&zoom=17`)).mode).toBe('clusters');
    expect((await map(`bbox=${bboxOf(screen(at[0], at[1], 17, 1280, 800))}&zoom=17`)).mode).toBe('points');
    // Out of the way of the other tests (hidden reports leave the map and its rollups).
    await t.db.query("UPDATE complaints SET hidden = true WHERE tracking_code LIKE 'ADU-S%'");
  });

  it('finds points on both sides of a grid column edge, reading only the columns and latitudes of the box', async () => {
    // The west edge of a level-17 grid column inside the city.
    const shift = GRID_BITS - POINT_COLUMN_LEVEL;
    const edge = lngOf((gridX(119.47) >> shift) << shift);
    const lat = -5.155;
    const file = async (lng: number) => {
      const res = await call(t, null, 'POST', '/api/v1/complaints', roadReport(road, { location: { lat, lng } }));
      expect(res.statusCode, res.body).toBe(201);
      const r = res.json() as { id: string; trackingCode: string };
      await verify(r.id);
      return r.trackingCode;
    };
    const west = await file(edge - 2e-6);
    const east = await file(edge + 2e-6);
    const codes = async (w: number, e: number) =>
      (await map(`bbox=${w},${lat - 0.001},${e},${lat + 0.001}&zoom=18`)).points.map((p) => p.trackingCode).filter((c) => c === west || c === east);
    expect(pointColumns({ west: edge - 0.001, east: edge + 0.001, south: lat, north: lat })).toHaveLength(2);
    expect((await codes(edge - 0.001, edge + 0.001)).sort()).toEqual([west, east].sort());
    expect(await codes(edge - 0.001, edge - 1e-6)).toEqual([west]);
    expect(await codes(edge + 1e-6, edge + 0.001)).toEqual([east]);
  });

  it('drops reports that are rejected, hidden, moved away or put in a private category, and keeps the rollup exact', async () => {
    const [a, b, c, d, e] = [
      await submit({ lat: -5.15, lng: 119.45 }),
      await submit({ lat: -5.15, lng: 119.45 }),
      await submit({ lat: -5.15, lng: 119.45 }),
      await submit({ lat: -5.15, lng: 119.45 }),
      await submit({ lat: -5.15, lng: 119.45 }),
    ];
    for (const r of [a, b, c, d, e]) await verify(r.id);
    const codes = async () => (await map(`bbox=${around(-5.15, 119.45, 0.002)}&zoom=18`)).points.map((p) => p.trackingCode);
    expect(await codes()).toEqual(expect.arrayContaining([a, b, c, d, e].map((r) => r.trackingCode)));
    const start = await visibleCount();

    // Rejected after verification (duplicate).
    const rej = await act(officer, a.id, 'reject', { reason: 'duplicate' });
    expect(rej.statusCode, rej.body).toBe(200);
    // Hidden by moderation.
    await t.db.query('UPDATE complaints SET hidden = true WHERE id = $1', [b.id]);
    // Moved out of the box.
    await t.db.query('UPDATE complaints SET lat = -5.0, lng = 119.5 WHERE id = $1', [c.id]);
    // Category changed to another one (still public) and the status moved on.
    await t.db.query('UPDATE complaints SET category_id = $2 WHERE id = $1', [d.id, rubbish]);
    expect((await act(officer, d.id, 'dispose', { unitId: (await t.db.query<{ id: string }>("SELECT id FROM units WHERE code = 'DLH-KBR'"))[0].id })).statusCode).toBe(200);
    expect(await rollupDrift()).toEqual([]);

    const now = await codes();
    expect(now).not.toContain(a.trackingCode);
    expect(now).not.toContain(b.trackingCode);
    expect(now).not.toContain(c.trackingCode);
    expect(now).toContain(d.trackingCode);
    expect(now).toContain(e.trackingCode);
    expect(await visibleCount()).toBe(start - 2);
    expect((await map(`bbox=${CITY}&zoom=12`)).total).toBe(start - 2);
    expect(await listAll()).not.toContain(b.trackingCode);

    // A category turned private disappears at once from the map and the list, and comes back.
    const hide = await call(t, admin, 'PATCH', `/api/v1/admin/complaints/categories/${rubbish}`, { public: false });
    expect(hide.statusCode, hide.body).toBe(200);
    expect(await codes()).not.toContain(d.trackingCode);
    expect((await map(`bbox=${CITY}&zoom=12`)).total).toBe(await visibleCount());
    expect((await map(`bbox=${CITY}&zoom=12&category=${rubbish}`)).total).toBe(0);
    expect(await listAll()).not.toContain(d.trackingCode);
    expect(await rollupDrift()).toEqual([]);
    expect((await call(t, admin, 'PATCH', `/api/v1/admin/complaints/categories/${rubbish}`, { public: true })).statusCode).toBe(200);
    expect(await codes()).toContain(d.trackingCode);
    expect(await rollupDrift()).toEqual([]);

    // Unhidden, it counts again; a bulk update keeps the rollup exact too.
    await t.db.query('UPDATE complaints SET hidden = false WHERE id = $1', [b.id]);
    await t.db.query("UPDATE complaints SET lat = lat + 0.001 WHERE status <> 'submitted'");
    await t.db.query("UPDATE complaints SET lat = lat - 0.001 WHERE status <> 'submitted'");
    expect(await rollupDrift()).toEqual([]);
    expect((await map(`bbox=${CITY}&zoom=12`)).total).toBe(await visibleCount());
  });

  it('stays exact when many reports of the same cells change at once', async () => {
    const reports = [];
    for (let i = 0; i < 12; i++) reports.push(await submit({ lat: -5.105, lng: 119.46, category: i % 2 ? rubbish : road }));
    const before = (await map(`bbox=${CITY}&zoom=12`)).total;
    // Concurrent verifications (parallel transactions on PostgreSQL) and a category toggled meanwhile.
    const results = await Promise.all([
      ...reports.map((r) => act(officer, r.id, 'verify')),
      call(t, admin, 'PATCH', `/api/v1/admin/complaints/categories/${rubbish}`, { public: false }),
    ]);
    expect(results.map((r) => r.statusCode)).toEqual(results.map(() => 200));
    expect(await rollupDrift()).toEqual([]);
    expect((await call(t, admin, 'PATCH', `/api/v1/admin/complaints/categories/${rubbish}`, { public: true })).statusCode).toBe(200);
    expect(await rollupDrift()).toEqual([]);
    expect((await map(`bbox=${CITY}&zoom=12`)).total).toBe(before + 12);
  });

  it('paginates the public list with a cursor, newest first', async () => {
    for (let i = 0; i < 3; i++) {
      const r = await submit({ lat: -5.16, lng: 119.42 });
      t.clock.advance(60_000);
      await verify(r.id);
    }
    const first = await list('limit=2');
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await list(`limit=2&cursor=${first.nextCursor}`);
    expect(second.items[0].trackingCode).not.toBe(first.items[1].trackingCode);
    const all = await listAll();
    expect(all.slice(0, 4)).toEqual([...first.items, ...second.items].map((i) => i.trackingCode));
    expect(new Set(all).size).toBe(all.length);
  });
});

describe('tenants and settings', () => {
  it('never shows one government’s reports to another', async () => {
    const r = await submit({ lat: -5.13, lng: 119.41 });
    await verify(r.id);
    const tpi = await map(`bbox=${CITY}&zoom=12`, null, TPI_PREFIX);
    expect(tpi.total).toBe(0);
    const tpiPoints = await map(`bbox=${around(r.lat, r.lng)}&zoom=18`, null, TPI_PREFIX);
    expect(tpiPoints.points).toEqual([]);
    const tpiList = await list('limit=100', TPI_PREFIX);
    expect(tpiList.items.map((i) => i.trackingCode)).not.toContain(r.trackingCode);
    // A Makassar category id on Tanjungpinang's map: nothing.
    expect((await map(`bbox=${CITY}&zoom=12&category=${road}`, null, TPI_PREFIX)).total).toBe(0);
    // Tanjungpinang's own report shows there only.
    const tpiRoad = await categoryId(t, 'Jalan rusak/berlubang', 'tanjungpinang');
    const res = await call(t, null, 'POST', '/api/v1/complaints', { ...roadReport(tpiRoad, { location: { lat: 0.92, lng: 104.45 }, attributes: { jenis_kerusakan: 'lubang' } }), regionCode: undefined }, { prefix: TPI_PREFIX });
    expect(res.statusCode, res.body).toBe(201);
    const v = await call(t, tpiAdmin, 'POST', `/api/v1/complaints/${res.json().id}/verify`, {});
    expect(v.statusCode, v.body).toBe(200);
    expect((await map('bbox=104.38,0.82,104.6,1.0&zoom=12', null, TPI_PREFIX)).total).toBe(1);
    expect((await map('bbox=104.38,0.82,104.6,1.0&zoom=12')).total).toBe(0);
    expect(await rollupDrift()).toEqual([]);
  });

  it('gives the tile server of the tenant and lets its category manager change it', async () => {
    const cfg = await call(t, null, 'GET', '/api/v1/complaints/map/config');
    expect(cfg.statusCode).toBe(200);
    expect(cfg.json()).toEqual({
      tileUrl: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
      attribution: '© OpenStreetMap contributors',
      bounds: { south: -5.25, west: 119.0, north: -4.9, east: 119.55 },
    });
    for (const [body, code] of [
      [{ tileUrl: 'ftp://tiles.example/{z}/{x}/{y}.png' }, 'complaints.map_tile_url'],
      [{ tileUrl: 'https://tiles.example/{z}/{x}.png' }, 'complaints.map_tile_url'],
      [{ tileUrl: 'https://tiles.example/{z}/{x}/{y}.png', extra: 1 }, 'field.unknown'],
    ] as const) {
      const res = await call(t, admin, 'PATCH', '/api/v1/admin/complaints/map-settings', body);
      expect(res.statusCode, res.body).toBe(400);
      expect(JSON.stringify(res.json().errors)).toContain(code);
    }
    for (const s of [citizen, officer]) {
      const res = await call(t, s, 'PATCH', '/api/v1/admin/complaints/map-settings', { tileUrl: 'https://tiles.example/{z}/{x}/{y}.png' });
      expect([403, 404]).toContain(res.statusCode);
    }
    const ok = await call(t, admin, 'PATCH', '/api/v1/admin/complaints/map-settings', { tileUrl: 'https://tiles.example.go.id/{z}/{x}/{y}.png', attribution: '© Diskominfo' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ tileUrl: 'https://tiles.example.go.id/{z}/{x}/{y}.png', attribution: '© Diskominfo' });
    expect((await call(t, null, 'GET', '/api/v1/complaints/map/config')).json().tileUrl).toBe('https://tiles.example.go.id/{z}/{x}/{y}.png');
    // Another government keeps its own.
    expect((await call(t, null, 'GET', '/api/v1/complaints/map/config', undefined, { prefix: TPI_PREFIX })).json().tileUrl).toBe('https://tile.openstreetmap.org/{z}/{x}/{y}.png');
    const [audit] = await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_events WHERE action = 'complaint_settings.map_updated'");
    expect(audit.n).toBe(1);
  });
});

describe('query plans', () => {
  it('reads a street-level box from the column index: its columns and latitudes only', async () => {
    const [{ id: tenantId }] = await t.db.query<{ id: string }>("SELECT id FROM tenants WHERE slug = 'makassar'");
    await t.db.query(
      `INSERT INTO complaints (tenant_id, id, tracking_code, category_id, kind, status, description, lat, lng, kecamatan_code, unit_id, submitted_at, updated_at)
       SELECT $1, ('01900000-0000-7000-8000-' || lpad(to_hex(g), 12, '0'))::uuid, 'ADU-P' || g, $2, 'pengaduan', 'verified', 'Laporan uji peta nomor ' || g,
              -5.25 + (g % 97) * 0.0035, 119.38 + (g % 89) * 0.0017, '73.71.01', cat.default_unit_id, now() - (g || ' minutes')::interval, now()
         FROM generate_series(1, 6000) g, complaint_categories cat WHERE cat.tenant_id = $1 AND cat.id = $2`,
      [tenantId, road],
    );
    await t.db.query('ANALYZE complaints');
    const box = { west: 119.45, east: 119.454, south: -5.16, north: -5.156 };
    const rows = (await t.db.orm.execute(sql`EXPLAIN ${pointsSql({ tenant: { id: tenantId, timeZone: 'Asia/Makassar' } } as never, box, {}, 501)}`)) as any;
    const plan = (Array.isArray(rows) ? rows : rows.rows).map((r: Record<string, string>) => r['QUERY PLAN']).join('\n');
    expect(plan).toMatch(/complaints_map_columns_idx/);
    expect(plan).toMatch(/Index Only Scan using complaints_map_columns_idx/);
    expect(plan).toMatch(/Index Cond: .*ANY.*lat >=/);
    expect(plan).not.toMatch(/Seq Scan on complaints/);
  });

  it('pages the public list from the public index even when the newest reports are unverified', async () => {
    const [{ id: tenantId }] = await t.db.query<{ id: string }>("SELECT id FROM tenants WHERE slug = 'makassar'");
    // On top of the verified reports of the test above: a busy week's intake, not yet verified.
    await t.db.query(
      `INSERT INTO complaints (tenant_id, id, tracking_code, category_id, kind, status, description, lat, lng, kecamatan_code, unit_id, submitted_at, updated_at)
       SELECT $1, ('01900000-0000-7000-9000-' || lpad(to_hex(g), 12, '0'))::uuid, 'ADU-Q' || g, $2, 'pengaduan', 'submitted', 'Laporan baru belum diverifikasi ' || g,
              -5.15, 119.45, '73.71.01', cat.default_unit_id, now() + (g || ' seconds')::interval, now()
         FROM generate_series(1, 4000) g, complaint_categories cat WHERE cat.tenant_id = $1 AND cat.id = $2`,
      [tenantId, road],
    );
    await t.db.query('ANALYZE complaints');
    const ctx = { tenant: { id: tenantId, timeZone: 'Asia/Makassar' } } as never;
    const planOf = async (f: object) => {
      const rows = (await t.db.orm.execute(sql`EXPLAIN ${publicListSql(ctx, f, 20)}`)) as any;
      return (Array.isArray(rows) ? rows : rows.rows).map((r: Record<string, string>) => r['QUERY PLAN']).join('\n');
    };
    for (const f of [{}, { kecamatan: '73.71.01' }, { categoryId: road }]) {
      const plan = await planOf(f);
      expect(plan, JSON.stringify(f)).toMatch(/Index Only Scan using complaints_public_idx/);
      expect(plan, JSON.stringify(f)).not.toMatch(/complaints_(inbox|kecamatan|category)_idx|Seq Scan on complaints/);
    }
    expect(await planOf({ status: 'in_progress' })).not.toMatch(/complaints_(inbox|kecamatan|category)_idx|Seq Scan on complaints/);
    // One status: its own index (tenant, status, newest first) reads only that status's reports.
    expect(await planOf({ status: 'verified' })).toMatch(/complaints_(status|public)_idx/);
    // And the page is right: newest verified first, none of the unverified.
    const page = (await t.app.inject({ url: '/api/v1/complaints/public?limit=5&kecamatan=73.71.01' })).json();
    expect(page.items).toHaveLength(5);
    expect(page.items.every((i: { status: string }) => i.status === 'verified')).toBe(true);
  });
});
