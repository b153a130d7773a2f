import { z } from 'zod';
import { COMPLAINT_KINDS, COMPLAINT_STATUSES, type ComplaintStatus, REJECTION_REASONS } from '../../../common/complaints/workflow.js';
import { AttributeDefinition, DeadlineHours } from '../../../common/complaints/contracts.js';
import { maskEmail, maskPhone } from '../../../common/mask.js';

export const CategoryView = z.object({
  id: z.string(),
  name: z.string(),
  icon: z.string(),
  kind: z.enum(COMPLAINT_KINDS),
  defaultUnitId: z.string(),
  defaultUnitName: z.string(),
  public: z.boolean(),
  active: z.boolean(),
  sortOrder: z.number(),
  deadlineHours: DeadlineHours,
  attributes: z.array(AttributeDefinition),
});
export const PublicCategoryView = CategoryView.pick({ id: true, name: true, icon: true, kind: true, attributes: true });

export const RoutingRuleView = z.object({
  id: z.string(),
  categoryId: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
  unitId: z.string(),
  unitName: z.string(),
});

export interface CategoryRow {
  id: string;
  name: string;
  icon: string;
  kind: (typeof COMPLAINT_KINDS)[number];
  default_unit_id: string;
  default_unit_name: string;
  public: boolean;
  active: boolean;
  sort_order: number;
  deadline_hours: z.infer<typeof DeadlineHours>;
  attributes: AttributeDefinition[];
}

export function presentCategory(r: CategoryRow): z.infer<typeof CategoryView> {
  return {
    id: r.id,
    name: r.name,
    icon: r.icon,
    kind: r.kind,
    defaultUnitId: r.default_unit_id,
    defaultUnitName: r.default_unit_name,
    public: r.public,
    active: r.active,
    sortOrder: r.sort_order,
    deadlineHours: r.deadline_hours,
    attributes: r.attributes,
  };
}

export const SubmittedView = z.object({
  id: z.string(),
  trackingCode: z.string(),
  /** Private link key of an anonymous report; shown once, never stored in clear. */
  accessToken: z.string().optional(),
  status: z.enum(COMPLAINT_STATUSES),
  submittedAt: z.string(),
});

const Location = z.object({ lat: z.number(), lng: z.number() }).nullable();
const Region = z.object({ code: z.string(), name: z.string() }).nullable();

export const PublicTimelineEntry = z.object({ action: z.string(), status: z.enum(COMPLAINT_STATUSES).nullable(), note: z.string().nullable(), at: z.string() });
export const TimelineEntry = PublicTimelineEntry.extend({
  id: z.string(),
  fromStatus: z.enum(COMPLAINT_STATUSES).nullable(),
  internal: z.boolean(),
  unitId: z.string().nullable(),
  unitName: z.string().nullable(),
  actorKind: z.string(),
  actorName: z.string().nullable(),
});

/** What anyone holding the code (and, before verification, the token) sees: no reporter, no internal notes. */
export const TrackView = z.object({
  trackingCode: z.string(),
  status: z.enum(COMPLAINT_STATUSES),
  kind: z.enum(COMPLAINT_KINDS),
  category: z.object({ id: z.string(), name: z.string(), icon: z.string() }),
  description: z.string(),
  location: Location,
  kecamatan: Region,
  kelurahan: Region,
  address: z.string().nullable(),
  unitName: z.string().nullable(),
  rejectionReason: z.enum(REJECTION_REASONS).nullable(),
  photoIds: z.array(z.string()),
  submittedAt: z.string(),
  /** Due time of the current stage (null when none runs, e.g. waiting for the reporter). */
  dueAt: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  rating: z.object({ score: z.number(), comment: z.string().nullable() }).nullable(),
  timeline: z.array(PublicTimelineEntry),
  /** Residents supporting the report ("saya juga mengalami ini"; duplicates/). */
  supportersCount: z.number().optional(),
  /** Tracking code of the report this one was merged into (rejected as duplicate), where updates continue. */
  mergedInto: z.string().nullable().optional(),
  /** Whether the viewer is the signed-in reporter (the page then offers the reporter's actions). */
  viewerIsReporter: z.boolean(),
});

/** A row of "my reports". */
export const MyComplaintItem = z.object({
  id: z.string(),
  trackingCode: z.string(),
  status: z.enum(COMPLAINT_STATUSES),
  kind: z.enum(COMPLAINT_KINDS),
  category: z.object({ id: z.string(), name: z.string(), icon: z.string() }),
  summary: z.string(),
  submittedAt: z.string(),
  updatedAt: z.string(),
  dueAt: z.string().nullable(),
});

export function presentMine(r: ComplaintRow): z.infer<typeof MyComplaintItem> {
  const item = presentInboxItem(r);
  return {
    id: r.id,
    trackingCode: r.tracking_code,
    status: r.status,
    kind: r.kind,
    category: { id: r.category_id, name: r.category_name, icon: r.category_icon },
    summary: item.summary,
    submittedAt: r.submitted_at,
    updatedAt: r.updated_at,
    dueAt: r.due_at,
  };
}

export const InboxItem = z.object({
  id: z.string(),
  trackingCode: z.string(),
  status: z.enum(COMPLAINT_STATUSES),
  kind: z.enum(COMPLAINT_KINDS),
  categoryId: z.string(),
  categoryName: z.string(),
  unitId: z.string(),
  unitName: z.string(),
  kecamatan: Region,
  kelurahan: Region,
  summary: z.string(),
  anonymous: z.boolean(),
  photoCount: z.number(),
  submittedAt: z.string(),
  updatedAt: z.string(),
  /** Due time of the current stage (null: no deadline, paused for the reporter, or closed). */
  dueAt: z.string().nullable(),
  /** Whether the current stage is past its due time. */
  overdue: z.boolean(),
  /** When the assignee was warned that 80 % of the stage's time had passed (null: not yet, or a new stage). */
  warnedAt: z.string().nullable(),
  /** When the overdue stage was escalated to the unit head (null: not escalated, or a new stage). */
  escalatedAt: z.string().nullable(),
});

export const ComplaintDetail = InboxItem.extend({
  description: z.string(),
  location: Location,
  address: z.string().nullable(),
  attributes: z.record(z.string(), z.union([z.string(), z.number()])),
  rejectionReason: z.enum(REJECTION_REASONS).nullable(),
  reporter: z.object({
    userId: z.string().nullable(),
    name: z.string().nullable(),
    phone: z.string().nullable(),
    email: z.string().nullable(),
    /** Whether phone and e-mail are shown in clear (personal_data.read). */
    unmasked: z.boolean(),
  }),
  photos: z.array(z.object({ id: z.string(), hidden: z.boolean() })),
  verifiedAt: z.string().nullable(),
  disposedAt: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  /** Working hours of the stage left while the clock waits for the reporter (needs_info). */
  pausedHours: z.number().nullable(),
  /** Whether the report is hidden from the public (moderation). */
  hidden: z.boolean(),
  /** Residents who support the report (instead of filing a duplicate). */
  supportersCount: z.number(),
  /** The primary report this one was merged into (rejected as a duplicate). */
  mergedIntoId: z.string().nullable(),
  /** Where the report came in: web, call_centre, open311, whatsapp, … */
  channel: z.string(),
  rating: z.object({ score: z.number(), comment: z.string().nullable() }).nullable(),
  allowedActions: z.array(z.string()),
  timeline: z.array(TimelineEntry),
});

export interface ComplaintRow {
  id: string;
  tracking_code: string;
  status: ComplaintStatus;
  kind: (typeof COMPLAINT_KINDS)[number];
  category_id: string;
  category_name: string;
  category_icon: string;
  unit_id: string;
  unit_name: string;
  unit_path: string[];
  kecamatan_code: string | null;
  kecamatan_name: string | null;
  kelurahan_code: string | null;
  kelurahan_name: string | null;
  description: string;
  lat: number | null;
  lng: number | null;
  address: string | null;
  attributes: Record<string, string | number>;
  rejection_reason: (typeof REJECTION_REASONS)[number] | null;
  reporter_user_id: string | null;
  reporter_name: string | null;
  reporter_phone: string | null;
  reporter_email: string | null;
  reporter_account_name: string | null;
  reporter_account_phone: string | null;
  reporter_account_email: string | null;
  access_token_hash: Buffer | Uint8Array | null;
  hidden: boolean;
  supporters_count: number;
  merged_into_id: string | null;
  channel: string;
  photo_count: number;
  submitted_at: string;
  submitted_at_us: string;
  verified_at: string | null;
  disposed_at: string | null;
  updated_at: string;
  due_at: string | null;
  paused_hours: number | null;
  warn_at: string | null;
  warned_at: string | null;
  escalated_at: string | null;
  resume_status: ComplaintStatus | null;
  resolved_at: string | null;
  rating: number | null;
  rating_comment: string | null;
  deadline_hours: z.infer<typeof DeadlineHours>;
}

function region(code: string | null, name: string | null) {
  return code ? { code, name: name ?? code } : null;
}

/** Characters of a description an inbox item shows (longer ones end in an ellipsis). */
export const SUMMARY_LENGTH = 140;

/** The columns an inbox item needs (the inbox reads only these; `description` may be cut after SUMMARY_LENGTH + 1). */
export type InboxItemRow = Pick<
  ComplaintRow,
  | 'id' | 'tracking_code' | 'status' | 'kind' | 'category_id' | 'category_name' | 'unit_id' | 'unit_name' | 'kecamatan_code' | 'kecamatan_name'
  | 'kelurahan_code' | 'kelurahan_name' | 'description' | 'lat' | 'lng' | 'reporter_user_id' | 'photo_count' | 'submitted_at' | 'submitted_at_us'
  | 'updated_at' | 'due_at' | 'warned_at' | 'escalated_at'
>;

export function presentInboxItem(r: InboxItemRow, now: Date = new Date()): z.infer<typeof InboxItem> {
  return {
    id: r.id,
    trackingCode: r.tracking_code,
    status: r.status,
    kind: r.kind,
    categoryId: r.category_id,
    categoryName: r.category_name,
    unitId: r.unit_id,
    unitName: r.unit_name,
    kecamatan: region(r.kecamatan_code, r.kecamatan_name),
    kelurahan: region(r.kelurahan_code, r.kelurahan_name),
    summary: r.description.length > SUMMARY_LENGTH ? `${r.description.slice(0, SUMMARY_LENGTH - 1)}…` : r.description,
    anonymous: r.reporter_user_id == null,
    photoCount: Number(r.photo_count),
    submittedAt: r.submitted_at,
    updatedAt: r.updated_at,
    dueAt: r.due_at,
    overdue: r.due_at != null && new Date(r.due_at).getTime() <= now.getTime(),
    warnedAt: r.due_at != null ? r.warned_at : null,
    escalatedAt: r.due_at != null ? r.escalated_at : null,
  };
}

export function presentReporter(r: ComplaintRow, unmasked: boolean): z.infer<typeof ComplaintDetail>['reporter'] {
  const phone = r.reporter_phone ?? r.reporter_account_phone;
  const email = r.reporter_email ?? r.reporter_account_email;
  return {
    userId: r.reporter_user_id,
    name: r.reporter_name ?? r.reporter_account_name,
    phone: phone ? (unmasked ? phone : maskPhone(phone)) : null,
    email: email ? (unmasked ? email : maskEmail(email)) : null,
    unmasked,
  };
}
