import { z } from 'zod';
import { emailSchema, phoneSchema } from '../validators.js';
import { COMPLAINT_KINDS, COMPLAINT_STATUSES, REJECTION_REASONS } from './workflow.js';

/** Business limits of a report, shared by the form and the server. */
export const DESCRIPTION_MIN = 20;
export const DESCRIPTION_MAX = 2000;
export const ADDRESS_MAX = 300;
export const MAX_PHOTOS = 5;
export const NOTE_MAX = 2000;

const uuid = z.uuid();

/** An Open311 attribute definition of a category (asked on the form, checked on submit). */
export const AttributeDefinition = z.strictObject({
  code: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, { message: 'complaints.attribute_code' }),
  description: z.string().trim().min(2).max(200),
  datatype: z.enum(['string', 'number', 'singlevaluelist']),
  required: z.boolean(),
  order: z.number().int().min(0).max(1000).optional(),
  values: z.array(z.strictObject({ key: z.string().trim().min(1).max(60), name: z.string().trim().min(1).max(120) })).max(50).optional(),
});
export type AttributeDefinition = z.infer<typeof AttributeDefinition>;

/** Working hours allowed per stage (e.g. verification 8, handling 40). */
export const DeadlineHours = z.strictObject({
  verification: z.number().int().min(1).max(2000).optional(),
  disposition: z.number().int().min(1).max(2000).optional(),
  resolution: z.number().int().min(1).max(5000).optional(),
});
export type DeadlineHours = z.infer<typeof DeadlineHours>;

const attributeList = z
  .array(AttributeDefinition)
  .max(20)
  .refine((list) => new Set(list.map((a) => a.code)).size === list.length, { message: 'complaints.attribute_duplicate' })
  .refine((list) => list.every((a) => (a.datatype === 'singlevaluelist') === Boolean(a.values?.length)), { message: 'complaints.attribute_values' });

export const CategoryBody = z.strictObject({
  name: z.string().trim().min(2).max(120),
  icon: z.string().regex(/^Icon[A-Za-z0-9]{1,60}$/, { message: 'complaints.icon' }),
  kind: z.enum(COMPLAINT_KINDS),
  defaultUnitId: uuid,
  public: z.boolean().default(true),
  active: z.boolean().default(true),
  sortOrder: z.number().int().min(0).max(10000).default(0),
  deadlineHours: DeadlineHours.default({}),
  attributes: attributeList.default([]),
});
export const CategoryPatch = z.strictObject({
  name: z.string().trim().min(2).max(120).optional(),
  icon: z.string().regex(/^Icon[A-Za-z0-9]{1,60}$/, { message: 'complaints.icon' }).optional(),
  kind: z.enum(COMPLAINT_KINDS).optional(),
  defaultUnitId: uuid.optional(),
  public: z.boolean().optional(),
  active: z.boolean().optional(),
  sortOrder: z.number().int().min(0).max(10000).optional(),
  deadlineHours: DeadlineHours.optional(),
  attributes: attributeList.optional(),
});

export const RoutingRuleBody = z.strictObject({
  categoryId: uuid,
  regionCode: z.string().regex(/^\d{2}\.\d{2}\.\d{2}(\.\d{4})?$/, { message: 'complaints.region_code' }),
  unitId: uuid,
});

export const SubmitComplaintBody = z.strictObject({
  categoryId: uuid,
  kind: z.enum(COMPLAINT_KINDS).optional(),
  description: z.string().trim().min(DESCRIPTION_MIN).max(DESCRIPTION_MAX),
  location: z.strictObject({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180) }).optional(),
  /** Kemendagri code of the kelurahan (73.71.01.1001) or kecamatan (73.71.01). */
  regionCode: z.string().regex(/^\d{2}\.\d{2}\.\d{2}(\.\d{4})?$/, { message: 'complaints.region_code' }).optional(),
  address: z.string().trim().max(ADDRESS_MAX).optional(),
  attributes: z.record(z.string().max(40), z.union([z.string().max(500), z.number()])).default({}),
  photos: z
    .array(z.strictObject({ id: uuid, token: z.string().max(100).optional() }))
    .max(MAX_PHOTOS)
    .default([]),
  /** Contact of an anonymous reporter (optional; signed-in reporters are known by their account). */
  reporter: z
    .strictObject({
      name: z.string().trim().min(1).max(120).optional(),
      phone: phoneSchema.optional(),
      email: emailSchema.optional(),
    })
    .optional(),
});
export type SubmitComplaintBody = z.infer<typeof SubmitComplaintBody>;

export const RejectBody = z.strictObject({ reason: z.enum(REJECTION_REASONS), note: z.string().trim().max(2000).optional() });
export const DisposeBody = z.strictObject({ unitId: uuid, note: z.string().trim().max(2000).optional() });
export const VerifyBody = z.strictObject({ note: z.string().trim().max(2000).optional() }).default({});

export const ComplaintStatusEnum = z.enum(COMPLAINT_STATUSES);

// ------------------------------------------------------------------------- follow-up (slice 2)
/** Days after resolution during which the reporter may reopen a report. */
export const REOPEN_DAYS = 7;
export const ANSWER_MIN = 20;
export const RATING_COMMENT_MAX = 1000;
const photoClaims = z.array(z.strictObject({ id: uuid, token: z.string().max(100).optional() })).max(MAX_PHOTOS);

export const StartBody = z.strictObject({ note: z.string().trim().min(1).max(NOTE_MAX).optional() }).default({});
export const NoteBody = z.strictObject({ text: z.string().trim().min(1).max(NOTE_MAX), internal: z.boolean(), photos: photoClaims.default([]) });
export const RequestInfoBody = z.strictObject({ question: z.string().trim().min(5).max(NOTE_MAX) });
export const ResolveBody = z.strictObject({ answer: z.string().trim().min(ANSWER_MIN).max(NOTE_MAX), proofPhotos: z.array(z.strictObject({ id: uuid })).min(1).max(MAX_PHOTOS) });
export const WithdrawBody = z.strictObject({ reason: z.string().trim().max(NOTE_MAX).optional() }).default({});
export const ProvideInfoBody = z.strictObject({ answer: z.string().trim().min(1).max(NOTE_MAX), photos: photoClaims.default([]) });
export const CloseBody = z.strictObject({}).default({});
export const ReopenBody = z.strictObject({ reason: z.string().trim().min(10).max(NOTE_MAX) });
export const RateBody = z.strictObject({ score: z.number().int().min(1).max(5), comment: z.string().trim().max(RATING_COMMENT_MAX).optional() });

// ------------------------------------------------------------------------- duplicates, support, merge, moderation
/** Duplicate suggestions: open reports of the same category within this radius … */
export const DUPLICATE_RADIUS_M = 50;
/** … submitted within these days. */
export const DUPLICATE_DAYS = 30;
export const MODERATION_REASON_MAX = 500;
/** What replaces each redacted phrase (20 characters, so a redacted description stays ≥ DESCRIPTION_MIN). */
export const REDACTION_MARK = '[disamarkan petugas]';

const moderationReason = z.string().trim().min(3).max(MODERATION_REASON_MAX);

export const NearbyQuery = z.object({
  categoryId: uuid,
  lat: z.coerce.number().min(-90).max(90),
  lng: z.coerce.number().min(-180).max(180),
  /** The description typed so far: ranks matches by text similarity (pg_trgm). */
  text: z.string().trim().max(DESCRIPTION_MAX).optional(),
});
/** Support of an existing report; an anonymous supporter may leave an e-mail address for updates. */
export const SupportBody = z.strictObject({ email: emailSchema.optional() }).default({});
export const MergeBody = z.strictObject({ into: uuid, note: z.string().trim().max(NOTE_MAX).optional() });
export const VisibilityBody = z.strictObject({ hidden: z.boolean(), reason: moderationReason });
export const RedactBody = z.strictObject({
  /** The public timeline entry whose note is redacted; absent: the description. */
  eventId: uuid.optional(),
  /** Exact passages to replace with REDACTION_MARK (each must occur in the text). */
  phrases: z.array(z.string().min(2).max(500)).min(1).max(20),
  reason: moderationReason,
});
