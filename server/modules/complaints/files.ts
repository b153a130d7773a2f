import { sql } from 'drizzle-orm';
import { isPublicStatus, type ComplaintStatus } from '../../../common/complaints/workflow.js';
import { rowsOf } from '../../platform/org/sql.js';
import { registerFilePolicy } from '../../platform/files/policies.js';
import { PHOTO_PURPOSE } from './commands/submitComplaint.js';
import { isReporter, maySeeAsStaff } from './policies.js';

/**
 * Who may download a report photo: staff who may open the report (triage desk, the responsible
 * unit once disposed), the signed-in reporter, and anyone once the report is verified, unhidden,
 * and the photo not hidden by moderation.
 */
export function registerPhotoPolicy(): void {
  registerFilePolicy(PHOTO_PURPOSE, async (ctx, file) => {
    const [row] = await rowsOf<{ status: ComplaintStatus; hidden: boolean; photo_hidden: boolean; reporter_user_id: string | null; unit_path: string[] }>(
      ctx.db.orm,
      sql`SELECT c.status, c.hidden, p.hidden AS photo_hidden, c.reporter_user_id, u.path::text[] AS unit_path
            FROM complaint_photos p
            JOIN complaints c ON c.tenant_id = p.tenant_id AND c.id = p.complaint_id
            JOIN units u ON u.tenant_id = c.tenant_id AND u.id = c.unit_id
           WHERE p.tenant_id = ${file.tenantId} AND p.file_id = ${file.id}`,
    );
    if (!row) return false;
    const facts = { status: row.status, unitPath: row.unit_path, reporterUserId: row.reporter_user_id };
    if (maySeeAsStaff(ctx.actor, facts) || isReporter(ctx.actor, facts)) return true;
    return isPublicStatus(row.status) && !row.hidden && !row.photo_hidden;
  });
}
