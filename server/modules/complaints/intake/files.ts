import { registerFilePolicy, type FilePolicy } from '../../../platform/files/policies.js';
import { mayTriage } from '../policies.js';

/** Purpose of images received with a webhook message, until the message becomes a report. */
export const INTAKE_MEDIA_PURPOSE = 'complaint.intake_media';

/**
 * Only the triage desk may view a queued message's images: files get this purpose solely when
 * receiveIntake claims them for a message. On conversion they become report photos and the
 * report's photo policy applies.
 */
const intakeMediaPolicy: FilePolicy = async (ctx) => mayTriage(ctx.actor);

/** Registers the download policy of intake images (idempotent: always the same function). */
export function registerIntakeMediaPolicy(): void {
  registerFilePolicy(INTAKE_MEDIA_PURPOSE, intakeMediaPolicy);
}
