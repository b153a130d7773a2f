import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { Session, TestApp } from '../../../test/support/app.js';
import * as S from '../../platform/files/testSamples.js';

/** Helpers of the complaints API tests. Each request comes from its own address (per-IP rate limits). */
let ip = 0;
export function nextIp(): string {
  ip++;
  return `10.${(ip >> 16) & 255}.${(ip >> 8) & 255}.${ip & 255}`;
}

export async function call(
  t: TestApp,
  session: Session | null,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  body?: unknown,
  o: { prefix?: string; ip?: string } = {},
): Promise<LightMyRequestResponse> {
  const headers: Record<string, string> = {};
  if (session) {
    headers.cookie = session.cookie;
    if (method !== 'GET') headers['x-csrf-token'] = session.csrf;
  }
  const prefix = o.prefix ?? session?.prefix ?? '';
  return t.app.inject({ method, url: `${prefix}${url}`, headers, remoteAddress: o.ip ?? nextIp(), ...(body === undefined ? {} : { payload: body as object }) });
}

export async function uploadPhoto(t: TestApp, o: { session?: Session; prefix?: string; pdf?: boolean } = {}): Promise<{ id: string; token?: string }> {
  const parts: S.Part[] = o.pdf
    ? [{ name: 'file', filename: 'surat.pdf', data: S.buildPdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [] /Count 0 >>']) }]
    : [{ name: 'file', filename: 'jalan.png', data: await S.png() }];
  const { payload, headers } = S.multipart(parts);
  if (o.session) Object.assign(headers, { cookie: o.session.cookie, 'x-csrf-token': o.session.csrf });
  const res = await t.app.inject({ method: 'POST', url: `${o.prefix ?? ''}/api/v1/files`, payload, headers, remoteAddress: nextIp() });
  expect(res.statusCode, res.body).toBe(201);
  const body = res.json() as { id: string; downloadToken?: string };
  return { id: body.id, ...(body.downloadToken ? { token: body.downloadToken } : {}) };
}

const COUNTED = ['complaints', 'complaint_events', 'complaint_photos', 'audit_events', 'domain_events'] as const;

/** Row counts of every table a complaint command writes (plus claimed files). */
export async function counts(t: TestApp): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of COUNTED) out[table] = (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0].n;
  out.claimed_files = (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM files WHERE claimed_at IS NOT NULL'))[0].n;
  return out;
}

export async function categoryId(t: TestApp, name: string, slug = 'makassar'): Promise<string> {
  const [row] = await t.db.query<{ id: string }>(
    'SELECT c.id FROM complaint_categories c JOIN tenants t ON t.id = c.tenant_id WHERE t.slug = $1 AND c.name = $2',
    [slug, name],
  );
  return row.id;
}

export async function unitId(t: TestApp, code: string, slug = 'makassar'): Promise<string> {
  const [row] = await t.db.query<{ id: string }>('SELECT u.id FROM units u JOIN tenants t ON t.id = u.tenant_id WHERE t.slug = $1 AND u.code = $2', [slug, code]);
  return row.id;
}

/** A valid anonymous report of a broken road in Kelurahan Mangasa (Tamalate). */
export function roadReport(category: string, extra: Record<string, unknown> = {}) {
  return {
    categoryId: category,
    description: 'Jalan berlubang besar di depan masjid, sudah dua motor jatuh minggu ini.',
    location: { lat: -5.1689, lng: 119.4102 },
    regionCode: '73.71.10.1004',
    address: 'Jl. Dg. Tata Raya depan Masjid Nurul Iman',
    attributes: { jenis_kerusakan: 'lubang' },
    ...extra,
  };
}
