/**
 * Hospital beds and inpatient admission: bed classes, the public availability (with distance from
 * the user) and the admission desk's contracts, shared by the server and the web app.
 */
import { z } from 'zod';

export { BED_CLASSES, BED_CLASS_LABELS, type BedClass } from './bedClasses.js';
import { BED_CLASSES, type BedClass } from './bedClasses.js';

export const ADMISSION_SOURCES = ['referral', 'preregistration', 'emergency'] as const;
export const DISCHARGE_TYPES = ['home', 'referred', 'against_advice', 'deceased'] as const;

/** Days ahead a resident may pre-register an inpatient stay. */
export const PREREGISTRATION_DAYS_AHEAD = 14;

/** Great-circle distance in kilometres (haversine, mean Earth radius). */
export function distanceKm(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(h)));
}

export interface ClassAvailability {
  bedClass: BedClass;
  total: number;
  free: number;
  updatedAt: string;
}

/**
 * Hospitals sorted for a person looking for a bed: by distance when their location is known
 * (hospitals without coordinates last), else by name; with a class asked, only hospitals that have
 * that class, and hospitals with a free bed of it first.
 */
export function sortHospitals<T extends { name: string; distanceKm: number | null; classes: ClassAvailability[] }>(items: T[], bedClass: BedClass | undefined): T[] {
  const free = (h: T) => (bedClass ? (h.classes.find((c) => c.bedClass === bedClass)?.free ?? 0) : 1);
  return [...items].sort((a, b) => {
    if (bedClass && (free(a) > 0) !== (free(b) > 0)) return free(a) > 0 ? -1 : 1;
    if (a.distanceKm !== b.distanceKm) {
      if (a.distanceKm === null) return 1;
      if (b.distanceKm === null) return -1;
      return a.distanceKm - b.distanceKm;
    }
    return a.name.localeCompare(b.name, 'id');
  });
}

export const BedAvailabilityQuery = z.object({
  class: z.enum(BED_CLASSES).optional(),
  lat: z.coerce.number().min(-90).max(90).optional(),
  lng: z.coerce.number().min(-180).max(180).optional(),
});

export const HospitalBeds = z.object({
  facility: z.object({ id: z.uuid(), name: z.string(), address: z.string(), phone: z.string().nullable(), lat: z.number().nullable(), lng: z.number().nullable() }),
  distanceKm: z.number().nullable(),
  classes: z.array(z.object({ bedClass: z.enum(BED_CLASSES), total: z.number().int(), free: z.number().int(), updatedAt: z.string() })),
  updatedAt: z.string(),
});
export type HospitalBedsType = z.infer<typeof HospitalBeds>;

export const AdmissionBody = z
  .strictObject({
    patientId: z.uuid(),
    /** A particular free bed; or only the class, and the desk's first free bed of it is taken. */
    bedId: z.uuid().optional(),
    bedClass: z.enum(BED_CLASSES).optional(),
    source: z.enum(ADMISSION_SOURCES),
    referralFrom: z.string().trim().min(3).max(120).optional(),
    referralNumber: z.string().trim().min(1).max(40).optional(),
    requestId: z.uuid().optional(),
    diagnosis: z.string().trim().max(300).optional(),
  })
  .superRefine((b, ctx) => {
    if (!b.bedId && !b.bedClass) ctx.addIssue({ code: 'custom', path: ['bedId'], message: 'health.bed_required' });
    if (b.source === 'referral' && !b.referralFrom) ctx.addIssue({ code: 'custom', path: ['referralFrom'], message: 'health.referral_from_required' });
    if (b.source === 'preregistration' && !b.requestId) ctx.addIssue({ code: 'custom', path: ['requestId'], message: 'health.request_required' });
  });
export type AdmissionInput = z.infer<typeof AdmissionBody>;

export const BedTransferBody = z.strictObject({ bedId: z.uuid() });
export const DischargeBody = z.strictObject({ type: z.enum(DISCHARGE_TYPES) });
export const BedServiceBody = z.strictObject({ outOfService: z.boolean() });

export const AdmissionView = z.object({
  id: z.uuid(),
  status: z.enum(['admitted', 'discharged']),
  facility: z.object({ id: z.uuid(), name: z.string() }),
  patient: z.object({ id: z.uuid(), name: z.string(), nikMasked: z.string(), sex: z.enum(['male', 'female']) }),
  bed: z.object({ id: z.uuid(), code: z.string(), room: z.string(), ward: z.string(), bedClass: z.enum(BED_CLASSES) }).nullable(),
  source: z.enum(ADMISSION_SOURCES),
  referralFrom: z.string().nullable(),
  referralNumber: z.string().nullable(),
  diagnosis: z.string().nullable(),
  admittedAt: z.string(),
  dischargedAt: z.string().nullable(),
  dischargeType: z.enum(DISCHARGE_TYPES).nullable(),
});
export type Admission = z.infer<typeof AdmissionView>;

/** The admission desk's board: wards, rooms and beds with who lies in each. */
export const BedBoard = z.object({
  facility: z.object({ id: z.uuid(), name: z.string() }),
  classes: z.array(z.object({ bedClass: z.enum(BED_CLASSES), total: z.number().int(), free: z.number().int(), updatedAt: z.string() })),
  wards: z.array(
    z.object({
      id: z.uuid(),
      name: z.string(),
      rooms: z.array(
        z.object({
          id: z.uuid(),
          name: z.string(),
          bedClass: z.enum(BED_CLASSES),
          sex: z.enum(['any', 'male', 'female']),
          beds: z.array(
            z.object({
              id: z.uuid(),
              code: z.string(),
              outOfService: z.boolean(),
              occupant: z.object({ admissionId: z.uuid(), name: z.string(), nikMasked: z.string(), admittedAt: z.string() }).nullable(),
            }),
          ),
        }),
      ),
    }),
  ),
  pendingRequests: z.number().int(),
});
export type BedBoardType = z.infer<typeof BedBoard>;

export const InpatientRequestBody = z.strictObject({
  facilityId: z.uuid(),
  patientId: z.uuid(),
  bedClass: z.enum(BED_CLASSES),
  plannedOn: z.iso.date(),
  referralFrom: z.string().trim().min(3).max(120).optional(),
  referralNumber: z.string().trim().min(1).max(40).optional(),
  note: z.string().trim().max(500).optional(),
});

export const InpatientRequestView = z.object({
  id: z.uuid(),
  status: z.enum(['pending', 'admitted', 'cancelled']),
  facility: z.object({ id: z.uuid(), name: z.string() }),
  patient: z.object({ id: z.uuid(), name: z.string(), nikMasked: z.string() }),
  bedClass: z.enum(BED_CLASSES),
  plannedOn: z.string(),
  referralFrom: z.string().nullable(),
  referralNumber: z.string().nullable(),
  note: z.string().nullable(),
  createdAt: z.string(),
});
export type InpatientRequest = z.infer<typeof InpatientRequestView>;
