import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { createTestApp, type TestApp } from '../../../../test/support/app.js';
import { inTransaction } from '../../../platform/context.js';
import { systemActor } from '../../../platform/policies/actor.js';
import { tenants } from '../../../platform/tenancy/schema.js';
import { call, categoryId, roadReport, unitId } from '../testSupport.js';
import { insertWithFreshCode } from './submitComplaint.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('tracking codes', () => {
  it('draws another code when the first one is taken, in the same transaction', async () => {
    const first = (await call(t, null, 'POST', '/api/v1/complaints', roadReport(await categoryId(t, 'Jalan rusak/berlubang')))).json();
    const [makassar] = (await t.db.orm.select().from(tenants)).filter((x) => x.slug === 'makassar');
    // Looked up before the transaction: the embedded database has one connection.
    const road = await categoryId(t, 'Jalan rusak/berlubang');
    const unit = await unitId(t, 'DPU-BM');
    const ctx = { db: t.db, tenant: makassar, actor: systemActor, clock: t.clock, locale: 'id' as const };
    const codes = [first.trackingCode, 'ADU-7Q2M-9XKD-4RTA'];
    const now = t.clock.now();
    const id = uuidv7();
    const got = await inTransaction(ctx, (tx) =>
      insertWithFreshCode(
        tx,
        {
          tenantId: makassar.id,
          id,
          categoryId: road,
          kind: 'pengaduan',
          status: 'submitted',
          description: 'Laporan uji tabrakan kode pelacakan yang cukup panjang.',
          kecamatanCode: '73.71.10',
          attributes: {},
          unitId: unit,
          submittedAt: now,
          updatedAt: now,
        },
        () => codes.shift()!,
      ),
    );
    expect(got).toBe('ADU-7Q2M-9XKD-4RTA');
    const rows = await t.db.query<{ id: string }>('SELECT id FROM complaints WHERE tracking_code = $1', [first.trackingCode]);
    expect(rows.map((r) => r.id)).toEqual([first.id]);
    expect(await t.db.query('SELECT 1 FROM complaints WHERE id = $1', [id])).toHaveLength(1);
  });
});
