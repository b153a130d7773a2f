import { DateTime } from 'luxon';
import { z } from 'zod';
import type { AppInstance } from '../../app.js';
import { addCalendarDay, CALENDAR_DAY_KINDS, changeCalendarDay, getCalendarYear, removeCalendarDay } from './commands.js';

/** Dates the calendar accepts: far enough back for old deadlines, far enough ahead for planning. */
const FIRST_YEAR = 2000;
const LAST_YEAR = 2100;

const daySchema = z.iso
  .date()
  .refine((d) => Number(d.slice(0, 4)) >= FIRST_YEAR && Number(d.slice(0, 4)) <= LAST_YEAR, { message: 'field.date' });
const nameSchema = z.string().trim().min(3).max(120);
const kindSchema = z.enum(CALENDAR_DAY_KINDS);

export const CalendarDaySchema = z.object({
  day: z.string().describe('YYYY-MM-DD'),
  kind: kindSchema,
  name: z.string(),
  weekday: z.number().int().min(1).max(7).describe('ISO weekday, 1 = Monday … 7 = Sunday'),
});

/** Admin API of the working-day calendar (holidays, collective leave, local holidays, extra working days). */
export function calendarRoutes(app: AppInstance): void {
  app.get(
    '/api/v1/admin/calendar',
    {
      config: { access: { permission: 'calendar.manage' } },
      schema: {
        tags: ['calendar'],
        summary: 'Special days of one year (default: this year in the tenant zone) and the work week',
        querystring: z.strictObject({ year: z.coerce.number().int().min(FIRST_YEAR).max(LAST_YEAR).optional() }),
        response: {
          200: z.object({
            year: z.number().int(),
            timeZone: z.string(),
            workWeek: z.array(z.number().int()),
            officeStart: z.string(),
            officeEnd: z.string(),
            days: z.array(CalendarDaySchema),
          }),
        },
      },
    },
    async (req) => {
      const ctx = req.ctx();
      const year = req.query.year ?? DateTime.fromJSDate(ctx.clock.now(), { zone: ctx.tenant.timeZone }).year;
      return getCalendarYear(ctx, year);
    },
  );

  app.post(
    '/api/v1/admin/calendar',
    {
      config: { access: { permission: 'calendar.manage' } },
      schema: {
        tags: ['calendar'],
        summary: 'Add a holiday, collective leave day, local holiday or extra working day (409 when the day is already there)',
        body: z.strictObject({ day: daySchema, kind: kindSchema, name: nameSchema }),
        response: { 201: CalendarDaySchema },
      },
    },
    async (req, reply) => reply.code(201).send(await addCalendarDay(req.ctx(), req.body)),
  );

  app.patch(
    '/api/v1/admin/calendar/:day',
    {
      config: { access: { permission: 'calendar.manage' } },
      schema: {
        tags: ['calendar'],
        summary: 'Change the kind or name of a day',
        params: z.strictObject({ day: daySchema }),
        body: z.strictObject({ kind: kindSchema.optional(), name: nameSchema.optional() }),
        response: { 200: CalendarDaySchema },
      },
    },
    async (req) => changeCalendarDay(req.ctx(), { day: req.params.day, ...req.body }),
  );

  app.delete(
    '/api/v1/admin/calendar/:day',
    {
      config: { access: { permission: 'calendar.manage' } },
      schema: { tags: ['calendar'], summary: 'Remove a day: it becomes an ordinary day of the work week', params: z.strictObject({ day: daySchema }) },
    },
    async (req, reply) => {
      await removeCalendarDay(req.ctx(), req.params.day);
      return reply.code(204).send();
    },
  );
}
