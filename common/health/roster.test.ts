import { describe, expect, it } from 'vitest';
import { dutiesOf, nextDuty, onDutyAt, type Shift } from './roster.js';

const UMUM = 'umum';
const GIGI = 'gigi';
const weekly: Shift[] = [
  { practitionerId: 'dr-andi', serviceId: UMUM, startsAt: '08:00', endsAt: '12:00' },
  { practitionerId: 'dr-sitti', serviceId: UMUM, startsAt: '08:00', endsAt: '10:00' },
  { practitionerId: 'drg-rahma', serviceId: GIGI, startsAt: '09:00', endsAt: '12:00' },
];

describe('rosters', () => {
  it('puts everyone of the weekly roster on duty during their shift', () => {
    const duties = dutiesOf(weekly, []);
    expect(onDutyAt(duties, UMUM, '08:00').map((d) => d.practitionerId)).toEqual(['dr-andi', 'dr-sitti']);
    expect(onDutyAt(duties, UMUM, '10:00').map((d) => d.practitionerId)).toEqual(['dr-andi']);
    expect(onDutyAt(duties, UMUM, '12:00')).toEqual([]);
    expect(onDutyAt(duties, GIGI, '08:30')).toEqual([]);
    expect(nextDuty(duties, GIGI, '08:30')).toMatchObject({ practitionerId: 'drg-rahma', startsAt: '09:00' });
  });

  it('cuts leave out of a shift, whole or in part', () => {
    const duties = dutiesOf(weekly, [
      { practitionerId: 'dr-andi', kind: 'leave', serviceId: null, startsAt: '09:00', endsAt: '10:30' },
      { practitionerId: 'drg-rahma', kind: 'leave', serviceId: null, startsAt: '00:00', endsAt: '23:59' },
    ]);
    expect(onDutyAt(duties, UMUM, '08:30').map((d) => d.practitionerId)).toEqual(['dr-andi', 'dr-sitti']);
    expect(onDutyAt(duties, UMUM, '09:30').map((d) => d.practitionerId)).toEqual(['dr-sitti']);
    expect(onDutyAt(duties, UMUM, '10:45').map((d) => d.practitionerId)).toEqual(['dr-andi']);
    expect(onDutyAt(duties, GIGI, '10:00')).toEqual([]);
  });

  it('adds extra shifts: a swap is one’s leave and the other’s extra shift', () => {
    const duties = dutiesOf(weekly, [
      { practitionerId: 'dr-sitti', kind: 'leave', serviceId: null, startsAt: '00:00', endsAt: '23:59' },
      { practitionerId: 'dr-budi', kind: 'extra', serviceId: UMUM, startsAt: '08:00', endsAt: '10:00' },
    ]);
    expect(onDutyAt(duties, UMUM, '09:00').map((d) => d.practitionerId)).toEqual(['dr-andi', 'dr-budi']);
  });
});
