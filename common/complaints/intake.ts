import { z } from 'zod';
import { COMPLAINT_KINDS } from './workflow.js';
import { ADDRESS_MAX, DESCRIPTION_MAX, DESCRIPTION_MIN, MAX_PHOTOS } from './contracts.js';

/**
 * Channels of the complaints module (issue 4, point 7): where a report came in. `web` is the
 * citizen form, `call_centre` the operator console, `open311` the GeoReport adapter, the others
 * the intake webhook of social-media and messaging gateways.
 */
export const INTAKE_CHANNELS = ['whatsapp', 'instagram', 'twitter', 'facebook', 'email', 'sms'] as const;
export type IntakeChannel = (typeof INTAKE_CHANNELS)[number];
export const COMPLAINT_CHANNELS = ['web', 'call_centre', 'open311', ...INTAKE_CHANNELS] as const;
export type ComplaintChannel = (typeof COMPLAINT_CHANNELS)[number];
/** Channels staff may file a report through on someone's behalf. */
export const STAFF_CHANNELS = ['call_centre', ...INTAKE_CHANNELS] as const;

export const INTAKE_STATUSES = ['pending', 'converted', 'discarded'] as const;
export type IntakeStatus = (typeof INTAKE_STATUSES)[number];

/** Limits of a webhook message. */
export const INTAKE_TEXT_MAX = 4000;
export const INTAKE_MEDIA_MAX = 5;
export const DISCARD_REASON_MAX = 500;

const latLng = z.strictObject({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180) });
const regionCode = z.string().regex(/^\d{2}\.\d{2}\.\d{2}(\.\d{4})?$/, { message: 'complaints.region_code' });

/** Body of `POST /api/v1/intake/:channel` (a gateway forwarding one message). */
export const IntakeBody = z.strictObject({
  /** The message as received. */
  text: z.string().trim().min(1).max(INTAKE_TEXT_MAX),
  /** Who sent it, as far as the channel knows. */
  sender: z
    .strictObject({
      name: z.string().trim().min(1).max(120).optional(),
      /** @handle, e-mail address or other channel identity. */
      handle: z.string().trim().min(1).max(254).optional(),
      /** Any phone number (normalised to 62… when it is an Indonesian mobile). */
      phone: z
        .string()
        .trim()
        .regex(/^\+?[0-9][0-9 ().-]{4,24}$/, { message: 'field.phone' })
        .optional(),
    })
    .default({}),
  location: latLng.optional(),
  address: z.string().trim().min(1).max(ADDRESS_MAX).optional(),
  /** Images uploaded before with the same API key through POST /api/v1/files. */
  media: z.array(z.strictObject({ id: z.uuid() })).max(INTAKE_MEDIA_MAX).default([]),
  /** The channel's own message id: a repeat delivery with the same id returns the first item (200). */
  externalId: z.string().trim().min(1).max(200).optional(),
});
export type IntakeBody = z.infer<typeof IntakeBody>;

/** The officer turns a queued message into a report. */
export const ConvertIntakeBody = z.strictObject({
  categoryId: z.uuid(),
  kind: z.enum(COMPLAINT_KINDS).optional(),
  /** The message text, edited into a report description. */
  description: z.string().trim().min(DESCRIPTION_MIN).max(DESCRIPTION_MAX),
  location: latLng.optional(),
  regionCode: regionCode.optional(),
  address: z.string().trim().max(ADDRESS_MAX).optional(),
  attributes: z.record(z.string().max(40), z.union([z.string().max(500), z.number()])).default({}),
  /** Which of the message's images become report photos (default: all of them). */
  mediaIds: z.array(z.uuid()).max(MAX_PHOTOS).optional(),
});
export type ConvertIntakeBody = z.infer<typeof ConvertIntakeBody>;

export const DiscardIntakeBody = z.strictObject({ reason: z.string().trim().min(3).max(DISCARD_REASON_MAX) });
