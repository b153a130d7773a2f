import { date, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export type CalendarDayKind = 'national_holiday' | 'collective_leave' | 'local_holiday' | 'extra_workday';

export const calendarDays = pgTable(
  'calendar_days',
  {
    tenantId: uuid('tenant_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    kind: text('kind').$type<CalendarDayKind>().notNull(),
    name: text('name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.day] })],
);
