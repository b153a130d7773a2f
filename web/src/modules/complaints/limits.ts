/**
 * Limits of a report, as common/complaints/contracts.ts defines them. Repeated here because that
 * module imports zod, which would weigh on the phone's first load of /lapor;
 * test/api/complaintsWebLimits.test.ts keeps the two equal.
 */
export const DESCRIPTION_MIN = 20;
export const DESCRIPTION_MAX = 2000;
export const MAX_PHOTOS = 5;
