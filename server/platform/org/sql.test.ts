import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { inboxSql } from '../../modules/complaints/queries.js';
import { publicListSql } from '../../modules/complaints/map/queries.js';
import { limitSql } from './sql.js';

const text = (q: ReturnType<typeof sql>) => new PgDialect().sqlToQuery(q);
const TENANT = '01900000-0000-7000-8000-000000000001';

describe('limitSql', () => {
  it('writes the LIMIT into the statement text, never as a parameter', () => {
    expect(text(sql`SELECT 1 ${limitSql(21)}`)).toMatchObject({ sql: 'SELECT 1 LIMIT 21', params: [] });
  });

  it('refuses anything but a sensible whole number', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, 1e9]) expect(() => limitSql(bad)).toThrow(/bad LIMIT/);
  });

  it('is used by the prepared page statements (a bound LIMIT made their generic plans parallel scans)', () => {
    const publicList = text(publicListSql({ tenant: { id: TENANT, timeZone: 'Asia/Makassar' } } as never, { status: 'in_progress' }, 20));
    expect(publicList.sql).toMatch(/LIMIT 21\) p\b/);
    expect(publicList.params).not.toContain(21);
    const inbox = text(inboxSql(TENANT, 'all', { limit: 20 }));
    expect(inbox.sql).toMatch(/LIMIT 21$/);
    const handler = text(inboxSql(TENANT, { tenantWide: false, roots: [TENANT] }, { limit: 20 }));
    expect(handler.sql.match(/LIMIT 21\b/g)).toHaveLength(2);
  });
});
