import { doublePrecision, integer, pgTable, primaryKey, smallint, text, uuid } from 'drizzle-orm/pg-core';

/**
 * Rollup of the public reports per map cell (migration 0012), kept by triggers on complaints:
 * read-only for the application.
 */
export const complaintMapCells = pgTable(
  'complaint_map_cells',
  {
    tenantId: uuid('tenant_id').notNull(),
    level: smallint('level').notNull(),
    cellX: integer('cell_x').notNull(),
    cellY: integer('cell_y').notNull(),
    categoryId: uuid('category_id').notNull(),
    /** '' for reports without a kecamatan. */
    kecamatanCode: text('kecamatan_code').notNull(),
    statusGroup: text('status_group').$type<'verified' | 'in_progress' | 'resolved'>().notNull(),
    reports: integer('reports').notNull(),
    sumLat: doublePrecision('sum_lat').notNull(),
    sumLng: doublePrecision('sum_lng').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.level, t.cellX, t.cellY, t.categoryId, t.kecamatanCode, t.statusGroup] })],
);
