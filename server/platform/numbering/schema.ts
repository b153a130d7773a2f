import { bigint, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';

/** Gap-free counters per tenant, key and period (see numbering/counter.ts). */
export const numberCounters = pgTable(
  'number_counters',
  {
    tenantId: uuid('tenant_id').notNull(),
    key: text('key').notNull(),
    period: text('period').notNull(),
    value: bigint('value', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.key, t.period] })],
);
