import { boolean, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { UnitKind } from '../../../common/org.js';

export const units = pgTable(
  'units',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    parentId: uuid('parent_id'),
    kind: text('kind').$type<UnitKind>().notNull(),
    name: text('name').notNull(),
    code: text('code'),
    regionCode: text('region_code'),
    path: uuid('path').array().notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export const users = pgTable(
  'users',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    kind: text('kind').$type<'staff' | 'citizen'>().notNull(),
    name: text('name').notNull(),
    email: text('email'),
    phone: text('phone'),
    nip: text('nip'),
    passwordHash: text('password_hash'),
    status: text('status').$type<'active' | 'invited' | 'disabled'>().notNull().default('active'),
    locale: text('locale').$type<'id' | 'en'>().notNull().default('id'),
    failedLogins: integer('failed_logins').notNull().default(0),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);
