import { addProblemMessages } from '../../../../common/i18n/problems.js';

/** Messages of the Open311 adapter (error descriptions and notices), Indonesian first. */
addProblemMessages({
  'open311.api_key': { id: 'api_key tidak dikirim atau tidak berlaku.', en: 'api_key was not provided or is invalid.' },
  'open311.api_key_permission': {
    id: 'Kunci API ini tidak berizin mengirim laporan (izin complaints.intake).',
    en: 'This API key may not submit service requests (permission complaints.intake).',
  },
  'open311.jurisdiction': { id: 'jurisdiction_id "{id}" tidak ditemukan di sini.', en: 'jurisdiction_id "{id}" was not found here.' },
  'open311.service_code': { id: 'service_code "{code}" tidak ditemukan.', en: 'service_code "{code}" was not found.' },
  'open311.request_not_found': { id: 'service_request_id "{id}" tidak ditemukan.', en: 'service_request_id "{id}" was not found.' },
  'open311.token_not_found': { id: 'Token tidak ditemukan.', en: 'The token was not found.' },
  'open311.media_url': {
    id: 'media_url tidak diambil oleh server; kirim fotonya sebagai berkas multipart "media".',
    en: 'media_url is not fetched by the server; send the photo itself as the multipart file "media".',
  },
  'open311.lat_long': { id: 'lat dan long harus dikirim berdua, berupa angka desimal.', en: 'lat and long must be sent together, as decimal numbers.' },
  'open311.datetime': { id: 'Harus tanggal-waktu ISO 8601, mis. 2026-11-01T08:00:00+08:00.', en: 'Must be an ISO 8601 date-time, e.g. 2026-11-01T08:00:00+08:00.' },
  'open311.date_order': { id: 'start_date harus sebelum end_date.', en: 'start_date must be before end_date.' },
  'open311.status': { id: 'Pilih open dan/atau closed (dipisah koma).', en: 'Use open and/or closed (comma separated).' },
  'open311.media_only': { id: 'Berkas hanya diterima di kolom "media" (satu foto).', en: 'Files are accepted only as "media" (one photo).' },
  'open311.service_notice': {
    id: 'Laporan diterima dengan kode {code}. Petugas akan memverifikasinya sebelum tampil untuk umum.',
    en: 'Report received with code {code}. Staff will verify it before it is shown publicly.',
  },
  'open311.number_hint': { id: 'Angka, mis. 3 atau 2.5', en: 'A number, e.g. 3 or 2.5' },
  'open311.key_service': {
    id: 'api_key diterbitkan oleh administrator {tenant} (menu Kunci API, izin complaints.intake).',
    en: 'api_key is issued by the administrator of {tenant} (API keys, permission complaints.intake).',
  },
});
