import type { ComplaintDetail as BaseDetail, Tracked as BaseTracked } from '../api';

/** The staff detail of a report as GET /api/v1/complaints/:id returns it (fields the base type lacks included). */
export interface DetailView extends BaseDetail {
  dueAt: string | null;
  resolvedAt: string | null;
  pausedHours: number | null;
  rating: { score: number; comment: string | null } | null;
  /** Set by the escalation job when the report went past its deadline (absent on older servers). */
  escalatedAt?: string | null;
  /** Past the due time of its stage (by the server's clock). */
  overdue?: boolean;
  /** Hidden from the public by moderation. */
  hidden: boolean;
  supportersCount: number;
  mergedIntoId: string | null;
  /** Where the report came in (web, call_centre, open311, whatsapp, …). */
  channel: string;
}

/** The public tracking view with the follow-up fields. */
export interface TrackedView extends BaseTracked {
  dueAt: string | null;
  resolvedAt: string | null;
  rating: { score: number; comment: string | null } | null;
  /** Whether the viewer is the reporter (signed in); absent on servers that do not say. */
  viewerIsReporter?: boolean;
}

/** A unit of the dispose picker (GET /api/v1/complaints/units). */
export interface UnitOption {
  id: string;
  name: string;
  code: string | null;
  kind: string;
  path: string[];
}

/** A response template (GET /api/v1/complaints/templates). */
export interface ResponseTemplate {
  id: string;
  title: string;
  body: string;
  categoryId: string | null;
  categoryName: string | null;
  active: boolean;
  updatedAt: string;
}

export interface Uploaded {
  id: string;
  downloadToken?: string;
}
