import { boolean, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export interface TenantContact {
  address?: string;
  phone?: string;
  email?: string;
  website?: string;
}

export interface TenantSettings {
  /** ISO weekdays (1 = Monday … 7 = Sunday) that are working days. */
  workWeek?: number[];
  /** Office hours as HH:MM in the tenant's zone. */
  officeStart?: string;
  officeEnd?: string;
}

export const tenants = pgTable('tenants', {
  id: uuid('id').primaryKey(),
  slug: text('slug').notNull(),
  name: text('name').notNull(),
  kind: text('kind').$type<'kota' | 'kabupaten' | 'provinsi'>().notNull(),
  regionCode: text('region_code').notNull(),
  timeZone: text('time_zone').$type<'Asia/Jakarta' | 'Asia/Makassar' | 'Asia/Jayapura'>().notNull(),
  hosts: text('hosts').array().notNull(),
  logoFileId: uuid('logo_file_id'),
  contact: jsonb('contact').$type<TenantContact>().notNull(),
  settings: jsonb('settings').$type<TenantSettings>().notNull(),
  active: boolean('active').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
