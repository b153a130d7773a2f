import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO, type Session, type TestApp } from '../../../../test/support/app.js';
import { type Ctx, inTransaction } from '../../context.js';
import { AppError } from '../../errors.js';
import { type Actor, anonymous } from '../../policies/actor.js';
import { registerFilePolicy } from '../policies.js';
import * as S from '../testSamples.js';
import { claimFiles, type FileClaim } from './claimFiles.js';

let t: TestApp;
let dataDir: string;
let citizen: Session;
let staff: Session;

/** The module policy under test: staff may see claimed `test.photo` files, nobody else. */
registerFilePolicy('test.photo', async (ctx, file) => ctx.actor.kind === 'user' && ctx.actor.userKind === 'staff' && file.purpose === 'test.photo');

beforeAll(async () => {
  mkdirSync('.tmp', { recursive: true });
  dataDir = mkdtempSync(join('.tmp', 'files-claim-'));
  t = await createTestApp({ env: { DATA_DIR: dataDir } });
  citizen = await t.login(DEMO.citizen);
  staff = await t.login(DEMO.puStaff);
});
afterAll(async () => {
  await t.close();
  rmSync(dataDir, { recursive: true, force: true });
});

let ip = 0;
async function upload(o: { session?: Session; prefix?: string; purpose?: string } = {}) {
  const parts: S.Part[] = [{ name: 'file', filename: 'foto.png', data: await S.png() }];
  if (o.purpose) parts.push({ name: 'purpose', data: o.purpose });
  const { payload, headers } = S.multipart(parts);
  if (o.session) Object.assign(headers, { cookie: o.session.cookie, 'x-csrf-token': o.session.csrf });
  const res = await t.app.inject({ method: 'POST', url: `${o.prefix ?? ''}/api/v1/files`, payload, headers, remoteAddress: `10.8.0.${++ip}` });
  expect(res.statusCode).toBe(201);
  return res.json() as { id: string; url: string; downloadToken?: string };
}

async function ctxFor(actor: Actor, slug = 'makassar'): Promise<Ctx> {
  return { db: t.db, tenant: (await t.app.tenants.bySlug(slug))!, actor, clock: t.clock, locale: 'id' };
}

const citizenActor = (): Actor => ({ kind: 'user', id: citizen.userId, userKind: 'citizen', name: 'Warga', grants: [] });

async function claim(actor: Actor, files: FileClaim[], visibility?: 'public' | 'private') {
  const ctx = await ctxFor(actor);
  return inTransaction(ctx, (tx) => claimFiles(tx, { files, purpose: 'test.photo', visibility, field: 'photos' }));
}

async function refusal(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return { status: e.status, code: e.code, fields: e.fieldErrors.map((f) => `${f.field}:${f.code}`) };
    throw e;
  }
  throw new Error('expected a refusal');
}

async function state(id: string) {
  const [row] = await t.db.query<Record<string, any>>('SELECT purpose, visibility, claimed_at, access_token_hash FROM files WHERE id = $1', [id]);
  const [a] = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'file.claimed' AND entity_id = $1`, [id]);
  return { ...row, claims: a.n };
}

const get = (url: string, session?: Session) => t.app.inject({ method: 'GET', url, headers: session ? { cookie: session.cookie } : {} });

describe('claimFiles and module policies', () => {
  it('hands an anonymous upload to the module: the token proves ownership, then the policy decides', async () => {
    const up = await upload({ purpose: 'test.photo' });
    // Not claimed yet: the module policy does not apply, only the uploader's token.
    expect((await get(up.url, staff)).statusCode).toBe(404);
    expect((await get(`${up.url}?token=${up.downloadToken}`)).statusCode).toBe(200);

    const before = await state(up.id);
    expect(await refusal(claim(anonymous, [{ id: up.id, token: 'B'.repeat(43) }]))).toEqual({ status: 400, code: 'validation', fields: ['photos.0:field.file_unusable'] });
    expect(await refusal(claim(anonymous, [{ id: up.id }]))).toMatchObject({ fields: ['photos.0:field.file_unusable'] });
    expect(await state(up.id)).toEqual(before);

    const [row] = await claim(anonymous, [{ id: up.id, token: up.downloadToken }]);
    expect(row).toMatchObject({ id: up.id, purpose: 'test.photo', visibility: 'private', accessTokenHash: null });
    expect(await state(up.id)).toMatchObject({ purpose: 'test.photo', access_token_hash: null, claims: 1 });

    expect((await get(`${up.url}?token=${up.downloadToken}`)).statusCode).toBe(404);
    expect((await get(up.url, staff)).statusCode).toBe(200);
    expect((await get(up.url, citizen)).statusCode).toBe(404);
    expect((await get(up.url)).statusCode).toBe(404);

    // A file belongs to one record: a second claim is refused.
    expect(await refusal(claim(anonymous, [{ id: up.id, token: up.downloadToken }]))).toMatchObject({ fields: ['photos.0:field.file_unusable'] });
  });

  it('lets a signed-in uploader claim their own files only', async () => {
    const mine = await upload({ session: citizen });
    const before = await state(mine.id);
    const staffActor: Actor = { kind: 'user', id: staff.userId, userKind: 'staff', grants: [] };
    expect(await refusal(claim(staffActor, [{ id: mine.id }]))).toMatchObject({ fields: ['photos.0:field.file_unusable'] });
    expect(await refusal(claim(anonymous, [{ id: mine.id }]))).toMatchObject({ fields: ['photos.0:field.file_unusable'] });
    expect(await state(mine.id)).toEqual(before);
    const [row] = await claim(citizenActor(), [{ id: mine.id }], 'public');
    expect(row.visibility).toBe('public');
    // Public now: anyone of the tenant may download it.
    expect((await get(mine.url)).statusCode).toBe(200);
  });

  it('refuses the whole claim when one file is wrong, another tenant’s, or repeated, and changes nothing', async () => {
    const a = await upload({ session: citizen });
    const b = await upload({ session: citizen });
    const foreign = await upload({ prefix: '/t/tanjungpinang' });
    const before = [await state(a.id), await state(b.id), await state(foreign.id)];
    expect(await refusal(claim(citizenActor(), [{ id: a.id }, { id: foreign.id, token: foreign.downloadToken }]))).toMatchObject({ fields: ['photos.1:field.file_unusable'] });
    expect(await refusal(claim(citizenActor(), [{ id: a.id }, { id: b.id }, { id: a.id }]))).toMatchObject({ fields: ['photos.2:field.file_unusable'] });
    expect(await refusal(claim(citizenActor(), Array.from({ length: 21 }, () => ({ id: a.id }))))).toMatchObject({ fields: ['photos:field.too_many'] });
    expect([await state(a.id), await state(b.id), await state(foreign.id)]).toEqual(before);
  });

  it('refuses to register an invalid or conflicting purpose, and to claim for an unregistered one', async () => {
    expect(() => registerFilePolicy('Bad Purpose', async () => true)).toThrow(/invalid/);
    expect(() => registerFilePolicy('upload', async () => true)).toThrow(/invalid/);
    expect(() => registerFilePolicy('test.photo', async () => true)).toThrow(/already/);
    const ctx = await ctxFor(anonymous);
    await expect(inTransaction(ctx, (tx) => claimFiles(tx, { files: [], purpose: 'nobody.registered' }))).rejects.toThrow(/no registered policy/);
  });
});
