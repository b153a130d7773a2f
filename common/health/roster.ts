/**
 * Who is on duty: a practitioner's weekly shifts of a weekday, minus the leave of that date, plus
 * the extra shifts of that date (a swap is one's leave and the other's extra shift). Times are
 * local HH:MM strings, which compare correctly as text.
 */

export interface Shift {
  practitionerId: string;
  serviceId: string;
  startsAt: string;
  endsAt: string;
}

export interface RosterException {
  practitionerId: string;
  kind: 'leave' | 'extra';
  serviceId: string | null;
  startsAt: string;
  endsAt: string;
}

/** The shifts worked on a date: the weekly ones cut by leave, and the extra ones. */
export function dutiesOf(weekly: Shift[], exceptions: RosterException[]): Shift[] {
  const out: Shift[] = [];
  for (const shift of weekly) {
    let pieces = [{ startsAt: shift.startsAt, endsAt: shift.endsAt }];
    for (const leave of exceptions) {
      if (leave.kind !== 'leave' || leave.practitionerId !== shift.practitionerId) continue;
      pieces = pieces.flatMap((p) => {
        if (leave.endsAt <= p.startsAt || leave.startsAt >= p.endsAt) return [p];
        const kept = [];
        if (leave.startsAt > p.startsAt) kept.push({ startsAt: p.startsAt, endsAt: leave.startsAt });
        if (leave.endsAt < p.endsAt) kept.push({ startsAt: leave.endsAt, endsAt: p.endsAt });
        return kept;
      });
    }
    for (const p of pieces) out.push({ ...shift, ...p });
  }
  for (const extra of exceptions) {
    if (extra.kind === 'extra' && extra.serviceId) out.push({ practitionerId: extra.practitionerId, serviceId: extra.serviceId, startsAt: extra.startsAt, endsAt: extra.endsAt });
  }
  return out.sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.practitionerId.localeCompare(b.practitionerId));
}

/** The shifts of a service under way at a local time (HH:MM), one per practitioner. */
export function onDutyAt(duties: Shift[], serviceId: string, time: string): Shift[] {
  const seen = new Set<string>();
  return duties.filter((d) => {
    if (d.serviceId !== serviceId || d.startsAt > time || d.endsAt <= time || seen.has(d.practitionerId)) return false;
    seen.add(d.practitionerId);
    return true;
  });
}

/** The next shift of a service starting after a local time, if any that day. */
export function nextDuty(duties: Shift[], serviceId: string, time: string): Shift | null {
  return duties.find((d) => d.serviceId === serviceId && d.startsAt > time) ?? null;
}
