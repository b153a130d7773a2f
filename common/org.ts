/** Kinds of organisation unit, in the order the admin pages offer them. */
export const UNIT_KINDS = ['pemda', 'agency', 'bidang', 'seksi', 'kecamatan', 'kelurahan', 'puskesmas', 'hospital'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

/** Which kinds may sit directly below which. The root of a tenant is its pemda unit. */
export const ALLOWED_CHILDREN: Record<UnitKind, readonly UnitKind[]> = {
  pemda: ['agency', 'kecamatan'],
  agency: ['bidang', 'puskesmas', 'hospital'],
  bidang: ['seksi'],
  seksi: [],
  kecamatan: ['kelurahan', 'puskesmas'],
  kelurahan: [],
  puskesmas: [],
  hospital: ['bidang'],
};

export function canNest(parent: UnitKind, child: UnitKind): boolean {
  return ALLOWED_CHILDREN[parent].includes(child);
}
