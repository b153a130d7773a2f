import { addProblemMessages } from '../../../../common/i18n/problems.js';

/** Problem messages of the public map and list. */
addProblemMessages({
  'complaints.map_bbox_format': {
    id: 'Kotak peta harus empat angka: barat,selatan,timur,utara (derajat desimal).',
    en: 'The map box must be four numbers: west,south,east,north (decimal degrees).',
  },
  'complaints.map_bbox_range': {
    id: 'Koordinat kotak peta di luar jangkauan (bujur −180…180, lintang −90…90).',
    en: 'The map box coordinates are out of range (longitude −180…180, latitude −90…90).',
  },
  'complaints.map_bbox_inverted': {
    id: 'Kotak peta terbalik: barat harus lebih kecil dari timur dan selatan lebih kecil dari utara.',
    en: 'The map box is inverted: west must be less than east and south less than north.',
  },
  'complaints.map_bbox_too_large': {
    id: 'Kotak peta terlalu besar untuk tingkat zoom ini (paling banyak {tiles} ubin). Perkecil area atau zoom keluar.',
    en: 'The map box is too large for this zoom (at most {tiles} tiles across). Shrink the area or zoom out.',
  },
  'complaints.map_period': {
    id: 'Periode tidak valid: tanggal awal harus sebelum atau sama dengan tanggal akhir.',
    en: 'Invalid period: the start date must not be after the end date.',
  },
  'complaints.map_tile_url': {
    id: 'Alamat ubin peta harus diawali https:// (atau http://) dan memuat {z}, {x} dan {y}.',
    en: 'The map tile URL must start with https:// (or http://) and contain {z}, {x} and {y}.',
  },
  'complaints.map_no_settings': {
    id: 'Wilayah layanan pengaduan belum diatur untuk pemerintah daerah ini.',
    en: 'The report area of this government is not set up yet.',
  },
});
