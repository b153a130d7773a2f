import { z } from 'zod';
import { COMPLAINT_CHANNELS, INTAKE_CHANNELS, INTAKE_STATUSES, type IntakeChannel, type IntakeStatus } from '../../../../common/complaints/intake.js';
import { COMPLAINT_STATUSES, type ComplaintStatus } from '../../../../common/complaints/workflow.js';
import { maskPhone } from '../../../../common/mask.js';

/** `Daeng Ngemba` → `D**** N*****`: initials stay, enough to recognise, not to use. */
export function maskName(name: string | null | undefined): string | null {
  if (!name) return name ?? null;
  return name
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => `${w[0]}${'*'.repeat(Math.max(w.length - 1, 1))}`)
    .join(' ');
}

/** Answer of the webhook: the queued item (201 new, 200 a repeat delivery). */
export const IntakeReceipt = z.object({
  id: z.string(),
  channel: z.enum(INTAKE_CHANNELS),
  externalId: z.string().nullable(),
  status: z.enum(INTAKE_STATUSES),
  receivedAt: z.string(),
  /** True when this delivery repeated an external id already received. */
  duplicate: z.boolean(),
  /** The report the message became, once converted (its tracking code may be sent to the sender). */
  complaint: z.object({ id: z.string(), trackingCode: z.string() }).nullable(),
});
export type IntakeReceipt = z.infer<typeof IntakeReceipt>;

const Sender = z.object({
  name: z.string().nullable(),
  handle: z.string().nullable(),
  /** Masked unless the actor holds personal_data.read (an unmasked detail view is audited). */
  phone: z.string().nullable(),
});

export const IntakeItem = z.object({
  id: z.string(),
  channel: z.enum(INTAKE_CHANNELS),
  externalId: z.string().nullable(),
  status: z.enum(INTAKE_STATUSES),
  /** The first 200 characters in lists, the whole message in the detail. */
  text: z.string(),
  sender: Sender,
  location: z.object({ lat: z.number(), lng: z.number() }).nullable(),
  address: z.string().nullable(),
  mediaCount: z.number(),
  complaint: z.object({ id: z.string(), trackingCode: z.string() }).nullable(),
  discardReason: z.string().nullable(),
  receivedAt: z.string(),
  handledAt: z.string().nullable(),
  handledBy: z.string().nullable(),
});
export const IntakeDetail = IntakeItem.extend({
  media: z.array(z.object({ id: z.string(), mime: z.string() })),
  unmasked: z.boolean(),
});

export interface IntakeRow {
  id: string;
  channel: IntakeChannel;
  external_id: string | null;
  status: IntakeStatus;
  text: string;
  sender: { name?: string; handle?: string; phone?: string };
  lat: number | null;
  lng: number | null;
  address: string | null;
  media: { id: string; mime: string }[];
  complaint_id: string | null;
  tracking_code: string | null;
  discard_reason: string | null;
  received_at: string;
  received_at_us: string;
  handled_at: string | null;
  handled_by_name: string | null;
}

const LIST_TEXT = 200;

export function presentIntake(r: IntakeRow, o: { full: boolean; unmasked: boolean }): z.infer<typeof IntakeItem> {
  return {
    id: r.id,
    channel: r.channel,
    externalId: r.external_id,
    status: r.status,
    text: o.full || r.text.length <= LIST_TEXT ? r.text : `${r.text.slice(0, LIST_TEXT - 1)}…`,
    sender: { name: r.sender.name ?? null, handle: r.sender.handle ?? null, phone: r.sender.phone ? (o.unmasked ? r.sender.phone : maskPhone(r.sender.phone)) : null },
    location: r.lat != null && r.lng != null ? { lat: r.lat, lng: r.lng } : null,
    address: r.address,
    mediaCount: r.media.length,
    complaint: r.complaint_id && r.tracking_code ? { id: r.complaint_id, trackingCode: r.tracking_code } : null,
    discardReason: r.discard_reason,
    receivedAt: r.received_at,
    handledAt: r.handled_at,
    handledBy: r.handled_by_name,
  };
}

/** A caller's earlier report in the call-centre console. */
export const CallerReport = z.object({
  id: z.string(),
  trackingCode: z.string(),
  status: z.enum(COMPLAINT_STATUSES),
  channel: z.enum(COMPLAINT_CHANNELS),
  categoryName: z.string(),
  summary: z.string(),
  place: z.string().nullable(),
  /** Name given with the report; masked unless personal_data.read. */
  reporterName: z.string().nullable(),
  submittedAt: z.string(),
});

/** An open report of the same category near the caller's place. */
export const NearbyReport = z.object({
  id: z.string(),
  trackingCode: z.string(),
  status: z.enum(COMPLAINT_STATUSES),
  summary: z.string(),
  place: z.string().nullable(),
  submittedAt: z.string(),
});

export interface ReportRow {
  id: string;
  tracking_code: string;
  status: ComplaintStatus;
  channel: (typeof COMPLAINT_CHANNELS)[number];
  category_name: string;
  description: string;
  place: string | null;
  reporter_name: string | null;
  submitted_at: string;
}

const SUMMARY = 140;
export function summary(text: string): string {
  return text.length > SUMMARY ? `${text.slice(0, SUMMARY - 1)}…` : text;
}

export function presentCallerReport(r: ReportRow, unmasked: boolean): z.infer<typeof CallerReport> {
  return {
    id: r.id,
    trackingCode: r.tracking_code,
    status: r.status,
    channel: r.channel,
    categoryName: r.category_name,
    summary: summary(r.description),
    place: r.place,
    reporterName: unmasked ? r.reporter_name : maskName(r.reporter_name),
    submittedAt: r.submitted_at,
  };
}
