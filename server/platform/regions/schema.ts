import { pgTable, smallint, text } from 'drizzle-orm/pg-core';

export const regions = pgTable('regions', {
  code: text('code').primaryKey(),
  parentCode: text('parent_code'),
  level: smallint('level').notNull(),
  name: text('name').notNull(),
});
