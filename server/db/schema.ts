// Every Drizzle table of the platform and the modules, for the typed client.
export * from '../platform/audit/schema.js';
export * from '../platform/auth/schema.js';
export * from '../platform/calendar/schema.js';
export * from '../platform/events/schema.js';
export * from '../platform/files/schema.js';
export * from '../platform/idempotency/schema.js';
export * from '../platform/notify/schema.js';
export * from '../platform/numbering/schema.js';
export * from '../platform/org/schema.js';
export * from '../platform/policies/schema.js';
export * from '../platform/regions/schema.js';
export * from '../platform/tenancy/schema.js';
export * from '../modules/complaints/schema.js';
