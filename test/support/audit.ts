import type { Database } from '../../server/db/client.js';
import { sealAudit } from '../../server/platform/audit/seal.js';

/**
 * Seals every pending audit event. On a PostgreSQL server shared by parallel test databases, the
 * sealer waits for transactions of other databases too (xids are server-wide), so this retries
 * until nothing is left unsealed.
 */
export async function sealAllAudit(db: Database, now: () => Date): Promise<number> {
  let sealed = 0;
  for (let i = 0; i < 1200; i++) {
    sealed += await sealAudit(db, now());
    const [{ n }] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_events e WHERE NOT EXISTS (SELECT 1 FROM audit_seals s WHERE s.tenant_id = e.tenant_id AND s.event_id = e.id)`,
    );
    if (n === 0) return sealed;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('audit events stay unsealed for a minute');
}
