import { describe, expect, it } from 'vitest';
import { AdmissionBody, distanceKm, sortHospitals } from './beds.js';

describe('distance', () => {
  it('measures Makassar distances on the sphere', () => {
    const batua = { lat: -5.1522, lng: 119.4701 };
    const daya = { lat: -5.1061, lng: 119.5124 };
    expect(distanceKm(batua, batua)).toBe(0);
    // About 6.9 km between RSUD Batua and RSUD Daya.
    expect(distanceKm(batua, daya)).toBeGreaterThan(6.5);
    expect(distanceKm(batua, daya)).toBeLessThan(7.2);
    expect(distanceKm(batua, daya)).toBeCloseTo(distanceKm(daya, batua), 9);
  });
});

describe('hospital order', () => {
  const h = (name: string, distanceKm: number | null, icuFree: number) => ({ name, distanceKm, classes: [{ bedClass: 'icu' as const, total: 4, free: icuFree, updatedAt: '' }] });
  const list = [h('RS Cendana', 3, 0), h('RS Anggrek', null, 2), h('RS Bakung', 1.2, 1), h('RS Dahlia', 7, 3)];

  it('puts the nearest first, hospitals without coordinates last', () => {
    expect(sortHospitals(list, undefined).map((x) => x.name)).toEqual(['RS Bakung', 'RS Cendana', 'RS Dahlia', 'RS Anggrek']);
  });
  it('with a class asked, puts hospitals with a free bed of it first, then by distance', () => {
    expect(sortHospitals(list, 'icu').map((x) => x.name)).toEqual(['RS Bakung', 'RS Dahlia', 'RS Anggrek', 'RS Cendana']);
  });
  it('falls back to the name without a location', () => {
    const far = list.map((x) => ({ ...x, distanceKm: null }));
    expect(sortHospitals(far, undefined).map((x) => x.name)).toEqual(['RS Anggrek', 'RS Bakung', 'RS Cendana', 'RS Dahlia']);
  });
});

describe('admission body', () => {
  const patientId = '0190f0c4-7a1b-7000-8000-000000000001';
  const issues = (b: unknown) => (AdmissionBody.safeParse(b).error?.issues ?? []).map((i) => [i.path.join('.'), i.message]);
  it('needs a bed or a class, the referrer of a referral, and the request of a pre-registration', () => {
    expect(issues({ patientId, source: 'emergency' })).toEqual([['bedId', 'health.bed_required']]);
    expect(issues({ patientId, source: 'referral', bedClass: 'icu' })).toEqual([['referralFrom', 'health.referral_from_required']]);
    expect(issues({ patientId, source: 'preregistration', bedClass: 'icu' })).toEqual([['requestId', 'health.request_required']]);
    expect(issues({ patientId, source: 'emergency', bedClass: 'icu' })).toEqual([]);
  });
});
