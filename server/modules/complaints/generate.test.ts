import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPLAINT_STATUSES, TRANSITIONS } from '../../../common/complaints/workflow.js';
import { createTestApp, type TestApp } from '../../../test/support/app.js';
import { normalizeTrackingCode } from '../../platform/numbering/format.js';
import { generate } from '../../platform/generate/index.js';
import { DEMO_REPORT_COUNT } from './demoReports.js';

/** `npx balai generate --complaints N` and the demo reports of the seed. */
let t: TestApp;
let tenantId: string;
const COUNT = 3_000;

beforeAll(async () => {
  t = await createTestApp();
  [{ id: tenantId }] = await t.db.query<{ id: string }>(`SELECT id::text FROM tenants WHERE slug = 'makassar'`);
});
afterAll(async () => {
  await t.close();
});

const one = async <T>(sql: string, params: unknown[] = []): Promise<T> => (await t.db.query<T>(sql, params))[0];

describe('demo reports', () => {
  it('seeds about sixty Makassar reports of the last three weeks in every status, consistent with the workflow', async () => {
    const rows = await t.db.query<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM complaints WHERE tenant_id = $1 GROUP BY status`, [tenantId]);
    const total = rows.reduce((s, r) => s + r.n, 0);
    expect(total).toBeGreaterThanOrEqual(DEMO_REPORT_COUNT);
    for (const s of COMPLAINT_STATUSES) expect(rows.find((r) => r.status === s)?.n ?? 0, s).toBeGreaterThan(0);
    // Every timeline move is a move of the workflow, in order, ending in the report's status.
    const moves = await t.db.query<{ complaint_id: string; action: string; from_status: string | null; to_status: string; status: string }>(
      `SELECT e.complaint_id, e.action, e.from_status, e.to_status, c.status FROM complaint_events e JOIN complaints c ON c.tenant_id = e.tenant_id AND c.id = e.complaint_id
        WHERE e.tenant_id = $1 AND e.action <> 'note' ORDER BY e.complaint_id, e.at, e.id`,
      [tenantId],
    );
    const byReport = new Map<string, typeof moves>();
    for (const m of moves) byReport.set(m.complaint_id, [...(byReport.get(m.complaint_id) ?? []), m]);
    expect(byReport.size).toBe(total);
    for (const list of byReport.values()) {
      expect(list[0].action).toBe('submit');
      for (const m of list.slice(1)) {
        const rule = TRANSITIONS.find((r) => r.action === m.action)!;
        expect(rule.from, `${m.action} from ${m.from_status}`).toContain(m.from_status);
      }
      expect(list.at(-1)!.to_status).toBe(list[0].status);
    }
    // Deadlines: open reports have one (or paused hours while waiting for the reporter), some are past it.
    const d = await one<{ open_without: number; paused: number; overdue: number; closed_with: number; rated: number; reporters: number }>(
      `SELECT count(*) FILTER (WHERE status IN ('submitted', 'verified', 'disposed', 'in_progress', 'reopened') AND due_at IS NULL)::int AS open_without,
              count(*) FILTER (WHERE status = 'needs_info' AND due_at IS NULL AND paused_hours IS NOT NULL AND resume_status IS NOT NULL)::int AS paused,
              count(*) FILTER (WHERE due_at < $2)::int AS overdue,
              count(*) FILTER (WHERE status IN ('closed', 'rejected', 'resolved', 'withdrawn') AND due_at IS NOT NULL)::int AS closed_with,
              count(*) FILTER (WHERE rating BETWEEN 1 AND 5 AND status = 'closed')::int AS rated,
              count(*) FILTER (WHERE reporter_phone ~ '^628' OR reporter_user_id IS NOT NULL)::int AS reporters
         FROM complaints WHERE tenant_id = $1`,
      [tenantId, new Date()],
    );
    expect(d.open_without).toBe(0);
    expect(d.paused).toBe(rows.find((r) => r.status === 'needs_info')!.n);
    expect(d.overdue).toBeGreaterThan(0);
    expect(d.closed_with).toBe(0);
    expect(d.rated).toBeGreaterThan(5);
    expect(d.reporters).toBe(total);
    // Resolutions went through an update as the resolve command's does, so late ones are marked.
    const late = await one<{ unmarked: number }>(`SELECT count(*)::int AS unmarked FROM complaints WHERE tenant_id = $1 AND resolved_at IS NOT NULL AND resolved_late IS NULL`, [tenantId]);
    expect(late.unmarked).toBe(0);
    // Every move is audited.
    const [{ n: audited }] = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_events WHERE tenant_id = $1 AND action LIKE 'complaint.%'`, [tenantId]);
    expect(audited).toBeGreaterThanOrEqual(moves.length);
  });
});

describe('generate --complaints', () => {
  let before: number;
  let inserted: number;
  /** Reports already there (the demo's), left out of the checks of generated ones. */
  let seeded: string[];

  beforeAll(async () => {
    seeded = (await t.db.query<{ id: string }>('SELECT id::text AS id FROM complaints WHERE tenant_id = $1', [tenantId])).map((r) => r.id);
    before = seeded.length;
    const progress: number[] = [];
    const result = await generate(t.db, { tenant: 'makassar', counts: { complaints: COUNT }, seed: 7, batchSize: 1_000, now: t.clock.now() }, (p) => progress.push(p.done));
    inserted = result.generators[0].inserted;
    expect(progress).toContain(1_000);
  }, 120_000);

  it('writes the reports asked for, spread over statuses, categories, kecamatan and channels', async () => {
    expect(inserted).toBe(COUNT);
    expect((await one<{ n: number }>('SELECT count(*)::int AS n FROM complaints WHERE tenant_id = $1', [tenantId])).n).toBe(before + COUNT);
    const s = await one<{ statuses: number; categories: number; kecamatan: number; channels: number }>(
      `SELECT count(DISTINCT status)::int AS statuses, count(DISTINCT category_id)::int AS categories, count(DISTINCT kecamatan_code)::int AS kecamatan, count(DISTINCT channel)::int AS channels
         FROM complaints WHERE tenant_id = $1`,
      [tenantId],
    );
    expect(s.statuses).toBe(COMPLAINT_STATUSES.length);
    expect(s.categories).toBe(10);
    expect(s.kecamatan).toBe(15);
    expect(s.channels).toBeGreaterThan(3);
  });

  it('keeps every invariant of a report', async () => {
    const bad = await t.db.query<{ id: string; why: string }>(
      `SELECT id::text AS id, why FROM (
         SELECT c.id, CASE
           WHEN c.verified_at < c.submitted_at OR c.disposed_at < c.verified_at OR c.resolved_at < c.disposed_at OR c.closed_at < c.resolved_at THEN 'stage order'
           WHEN c.submitted_at > $2 OR c.updated_at > $2 THEN 'in the future'
           WHEN c.status IN ('disposed', 'in_progress', 'needs_info', 'resolved', 'closed', 'reopened') AND c.disposed_at IS NULL THEN 'handled without disposition'
           WHEN c.status IN ('resolved', 'closed', 'reopened') AND c.resolved_at IS NULL THEN 'resolved without time'
           WHEN c.status = 'closed' AND c.closed_at IS NULL THEN 'closed without time'
           WHEN c.status IN ('submitted', 'verified', 'disposed', 'in_progress', 'reopened') AND c.due_at IS NULL THEN 'open without deadline'
           WHEN c.status NOT IN ('submitted', 'verified', 'disposed', 'in_progress', 'reopened') AND c.due_at IS NOT NULL THEN 'deadline when done'
           WHEN c.status = 'needs_info' AND (c.paused_hours IS NULL OR c.resume_status IS NULL) THEN 'paused without hours'
           WHEN (c.status = 'rejected') <> (c.rejection_reason IS NOT NULL) THEN 'rejection reason'
           WHEN c.rating IS NOT NULL AND c.status <> 'closed' THEN 'rated while open'
           WHEN k.parent_code <> c.kecamatan_code THEN 'kelurahan outside kecamatan'
           WHEN c.lat NOT BETWEEN s.bounds_south AND s.bounds_north OR c.lng NOT BETWEEN s.bounds_west AND s.bounds_east THEN 'outside the city'
           WHEN c.unit_id <> coalesce(r.unit_id, cat.default_unit_id) THEN 'not routed'
           WHEN c.reporter_user_id IS NULL AND c.access_token_hash IS NULL THEN 'anonymous without private link'
         END AS why
           FROM complaints c
           JOIN regions k ON k.code = c.kelurahan_code
           JOIN complaint_settings s ON s.tenant_id = c.tenant_id
           JOIN complaint_categories cat ON cat.tenant_id = c.tenant_id AND cat.id = c.category_id
           LEFT JOIN complaint_routing_rules r ON r.tenant_id = c.tenant_id AND r.category_id = c.category_id AND r.region_code = c.kecamatan_code
          WHERE c.tenant_id = $1 AND NOT (c.id = ANY ($3::uuid[]))) x
        WHERE why IS NOT NULL LIMIT 5`,
      [tenantId, t.clock.now(), seeded],
    );
    expect(bad).toEqual([]);
    const codes = await t.db.query<{ tracking_code: string }>('SELECT tracking_code FROM complaints WHERE tenant_id = $1 LIMIT 200', [tenantId]);
    for (const { tracking_code } of codes) expect(normalizeTrackingCode(tracking_code, 'ADU', 3)).toBe(tracking_code);
  });

  it('gives recent reports a timeline of workflow moves, and updates the map rollups', async () => {
    const moves = await t.db.query<{ action: string; from_status: string | null; to_status: string }>(
      `SELECT DISTINCT e.action, e.from_status, e.to_status FROM complaint_events e JOIN complaints c ON c.tenant_id = e.tenant_id AND c.id = e.complaint_id
        WHERE e.tenant_id = $1 AND e.action <> 'note'`,
      [tenantId],
    );
    for (const m of moves) {
      if (m.action === 'submit') continue;
      const rule = TRANSITIONS.find((r) => r.action === m.action)!;
      expect(rule.from, `${m.action} from ${m.from_status}`).toContain(m.from_status);
      expect(m.to_status).toBe(rule.to);
    }
    const recent = await one<{ without: number }>(
      `SELECT count(*)::int AS without FROM complaints c WHERE c.tenant_id = $1 AND c.submitted_at > $2::timestamptz - interval '170 days'
          AND NOT EXISTS (SELECT 1 FROM complaint_events e WHERE e.tenant_id = c.tenant_id AND e.complaint_id = c.id AND e.action = 'submit')`,
      [tenantId, t.clock.now()],
    );
    expect(recent.without).toBe(0);
    const map = await one<{ cells: number; points: number }>(
      `SELECT (SELECT coalesce(sum(reports), 0)::int FROM complaint_map_cells WHERE tenant_id = $1 AND level = 17) AS cells,
              (SELECT count(*)::int FROM complaints WHERE tenant_id = $1 AND lat IS NOT NULL AND NOT hidden
                  AND status IN ('verified', 'disposed', 'in_progress', 'needs_info', 'resolved', 'closed', 'reopened')) AS points`,
      [tenantId],
    );
    expect(map.cells).toBe(map.points);
  });
});
