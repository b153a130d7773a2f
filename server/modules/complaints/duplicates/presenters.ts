import { z } from 'zod';
import { COMPLAINT_STATUSES } from '../../../../common/complaints/workflow.js';
import type { NearbyRow } from './queries.js';

const SUMMARY_LENGTH = 140;

function summary(text: string): string {
  return text.length > SUMMARY_LENGTH ? `${text.slice(0, SUMMARY_LENGTH - 1)}…` : text;
}

/** A verified open report near the resident's place: public facts only, never the reporter. */
export const NearbyItem = z.object({
  trackingCode: z.string(),
  status: z.enum(COMPLAINT_STATUSES),
  category: z.object({ id: z.string(), name: z.string(), icon: z.string() }),
  summary: z.string(),
  /** Metres from the given point, rounded. */
  distanceM: z.number(),
  supportersCount: z.number(),
  submittedAt: z.string(),
});

export function presentNearby(r: NearbyRow): z.infer<typeof NearbyItem> {
  return {
    trackingCode: r.tracking_code,
    status: r.status,
    category: { id: r.category_id, name: r.category_name, icon: r.category_icon },
    summary: summary(r.description),
    distanceM: Math.round(r.distance_m ?? 0),
    supportersCount: r.supporters_count,
    submittedAt: r.submitted_at,
  };
}

/** A possible duplicate of a report, for the triage desk (unverified and hidden ones included). */
export const DuplicateItem = z.object({
  id: z.string(),
  trackingCode: z.string(),
  status: z.enum(COMPLAINT_STATUSES),
  categoryId: z.string(),
  categoryName: z.string(),
  summary: z.string(),
  /** Metres between the two places; null when the report has no coordinates (same kelurahan/kecamatan). */
  distanceM: z.number().nullable(),
  /** pg_trgm similarity of the descriptions, 0–1. */
  similarity: z.number().nullable(),
  supportersCount: z.number(),
  hidden: z.boolean(),
  submittedAt: z.string(),
});

export function presentDuplicate(r: NearbyRow): z.infer<typeof DuplicateItem> {
  return {
    id: r.id,
    trackingCode: r.tracking_code,
    status: r.status,
    categoryId: r.category_id,
    categoryName: r.category_name,
    summary: summary(r.description),
    distanceM: r.distance_m == null ? null : Math.round(r.distance_m),
    similarity: r.similarity == null ? null : Math.round(r.similarity * 1000) / 1000,
    supportersCount: r.supporters_count,
    hidden: r.hidden,
    submittedAt: r.submitted_at,
  };
}

export const SupportView = z.object({
  trackingCode: z.string(),
  supportersCount: z.number(),
  /** True when this account (or e-mail address) already supported the report: nothing was written. */
  alreadySupported: z.boolean(),
  /** Whether the supporter will hear of status changes (signed in, or left an e-mail address). */
  following: z.boolean(),
});

/** An original kept by a redaction (audit.read only). */
export const RedactionView = z.object({
  id: z.string(),
  field: z.enum(['description', 'note']),
  eventId: z.string().nullable(),
  original: z.string(),
  redacted: z.string(),
  reason: z.string(),
  actorName: z.string().nullable(),
  at: z.string(),
});
