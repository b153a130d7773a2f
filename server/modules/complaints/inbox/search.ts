import { type SQL, sql } from 'drizzle-orm';
import { normalizeTrackingCode } from '../../../platform/numbering/format.js';

/** Longest search text accepted from the inbox box (characters). */
export const SEARCH_MAX_LENGTH = 200;

// The tracking-code shape of submitComplaint (ADU-XXXX-XXXX-XXXX); kept here so that this file
// does not import a command.
const TRACKING_PREFIX = 'ADU';
const TRACKING_GROUPS = 3;

/**
 * The inbox search condition: a tracking code (as a person types it) matches that report exactly;
 * any other text is an Indonesian web-search query (`"frase"`, `or`, `-kata`) over the description,
 * the address and the public answers, served by the GIN index complaints_search_idx.
 */
export function searchCondition(q: string): SQL {
  const text = q.trim();
  const code = normalizeTrackingCode(text, TRACKING_PREFIX, TRACKING_GROUPS);
  if (code) return sql`c.tracking_code = ${code}`;
  return sql`c.search_vector @@ websearch_to_tsquery('indonesian', ${text})`;
}
