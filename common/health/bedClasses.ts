/** Hospital bed classes (no zod here: the web pages import these at run time). */

/** Bed classes as the Ministry of Health's bed reporting (SIRANAP) groups them. */
export const BED_CLASSES = ['vvip', 'vip', 'kelas_1', 'kelas_2', 'kelas_3', 'icu', 'nicu', 'picu', 'isolasi'] as const;
export type BedClass = (typeof BED_CLASSES)[number];

/** Labels as hospitals and SIRANAP print them (the same in both languages). */
export const BED_CLASS_LABELS: Record<BedClass, string> = {
  vvip: 'VVIP',
  vip: 'VIP',
  kelas_1: 'Kelas I',
  kelas_2: 'Kelas II',
  kelas_3: 'Kelas III',
  icu: 'ICU',
  nicu: 'NICU',
  picu: 'PICU',
  isolasi: 'Isolasi',
};
