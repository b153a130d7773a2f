import { z } from 'zod';
import { phoneSchema } from '../validators.js';

/** YYYY-MM-DD, a real date. */
const isoDate = z.iso.date();

export const SEXES = ['male', 'female'] as const;
export const RELATIONS = ['self', 'spouse', 'child', 'parent', 'sibling', 'other'] as const;
export const VISIT_STATUSES = ['booked', 'checked_in', 'called', 'serving', 'done', 'no_show', 'cancelled'] as const;
export type VisitStatus = (typeof VISIT_STATUSES)[number];

/**
 * A patient as a resident (for themselves or a family member: `relation`) or counter staff (a
 * walk-in: no relation) registers them.
 */
export const PatientBody = z.strictObject({
  nik: z.string().trim(),
  name: z.string().trim().min(2).max(100),
  birthDate: isoDate,
  sex: z.enum(SEXES),
  phone: phoneSchema.optional(),
  address: z.string().trim().max(300).optional(),
  bpjsNumber: z
    .string()
    .trim()
    .regex(/^[0-9]{13}$/, { message: 'health.bpjs_number' })
    .optional(),
  relation: z.enum(RELATIONS).optional(),
});
export type PatientInput = z.infer<typeof PatientBody>;

/** A patient in lists: NIK and phone masked, no address. */
export const PatientSummary = z.object({
  id: z.uuid(),
  name: z.string(),
  nikMasked: z.string(),
  birthDate: z.string(),
  sex: z.enum(SEXES),
  relation: z.enum(RELATIONS).nullable(),
  hasBpjs: z.boolean(),
});

/** A patient's full record (its every read is audited). */
export const PatientView = PatientSummary.extend({
  nik: z.string(),
  phone: z.string().nullable(),
  address: z.string().nullable(),
  bpjsNumber: z.string().nullable(),
  createdAt: z.string(),
});

/** Online booking (a resident, for a patient of theirs) or a walk-in at the counter (staff). */
export const VisitBody = z.strictObject({
  serviceId: z.uuid(),
  patientId: z.uuid(),
  date: isoDate,
  /** The session of the day; the first with room when not given. */
  session: z.number().int().min(1).max(9).optional(),
});
export type VisitInput = z.infer<typeof VisitBody>;

/** What every view of a visit shows. */
const VisitCore = z.object({
  id: z.uuid(),
  queueCode: z.string(),
  number: z.number().int(),
  status: z.enum(VISIT_STATUSES),
  channel: z.enum(['online', 'onsite']),
  date: z.string(),
});

export const VisitView = VisitCore.extend({
  session: z.number().int(),
  facility: z.object({ id: z.uuid(), name: z.string() }),
  service: z.object({ id: z.uuid(), name: z.string() }),
  patient: z.object({ id: z.uuid(), name: z.string() }),
  /** When the patient should expect to be served (ISO instant). */
  estimatedAt: z.string(),
  /**
   * The service time per patient the estimate assumes (minutes), and where it comes from: the
   * median of today's finished visits of the service, of recent weeks', or its assumed duration.
   */
  serviceMinutes: z.number(),
  estimateBasis: z.enum(['today', 'recent', 'default']),
  /** Visits of the service's day before this one that are still waiting or being served. */
  ahead: z.number().int(),
  createdAt: z.string(),
  /** Where staff sent the patient on from this visit (another poli or the pharmacy), if they did. */
  transferredTo: z.object({ id: z.uuid(), queueCode: z.string(), serviceName: z.string() }).nullable(),
});
export type VisitViewType = z.infer<typeof VisitView>;

/** A visit as queue staff see it: the patient's name to call, the NIK masked, the service times. */
export const QueueVisit = VisitCore.extend({
  service: z.object({ id: z.uuid(), name: z.string() }),
  patient: z.object({ name: z.string(), nikMasked: z.string() }),
  calledAt: z.string().nullable(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  /** The visit this one was transferred from (another service of the facility). */
  transferredFrom: z.object({ queueCode: z.string(), serviceName: z.string() }).nullable(),
});

/** Staff send a called or served patient on to another service of the facility (poli or pharmacy). */
export const TransferBody = z.strictObject({ serviceId: z.uuid() });

/** One service on a facility's public queue display: numbers only. */
export const DisplayService = z.object({
  serviceId: z.uuid(),
  name: z.string(),
  queuePrefix: z.string(),
  nowServing: z.object({ queueCode: z.string(), status: z.enum(['called', 'serving']) }).nullable(),
  next: z.array(z.string()),
  waiting: z.number().int(),
});

export const CancelBody = z.strictObject({ reason: z.string().trim().max(300).optional() });

/** A service's sessions on a date, with the room left per channel. */
export const ServiceDay = z.object({
  id: z.uuid(),
  code: z.string(),
  name: z.string(),
  kind: z.enum(['poli', 'pharmacy']),
  queuePrefix: z.string(),
  date: z.string(),
  /** Why the service takes no registrations that day, when it takes none. */
  closed: z.enum(['holiday', 'no_sessions']).nullable(),
  sessions: z.array(
    z.object({ session: z.number().int(), opensAt: z.string(), closesAt: z.string(), quota: z.number().int(), onlineRoom: z.number().int(), onsiteRoom: z.number().int() }),
  ),
});

export const FacilityView = z.object({
  id: z.uuid(),
  name: z.string(),
  kind: z.enum(['puskesmas', 'hospital']),
  address: z.string(),
  phone: z.string().nullable(),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
  onlineRegistration: z.boolean(),
});
