import type { Database } from '../../server/db/client.js';
import { sealEverything } from '../../server/platform/audit/seal.js';

/** Seals every pending audit event (the background sealer does not run in tests). */
export function sealAllAudit(db: Database, now: () => Date): Promise<number> {
  return sealEverything(db, now);
}
