/**
 * Messages of API problem responses and field errors, in Indonesian (default) and English.
 * Codes are stable identifiers; `{name}` placeholders are filled from the error's params.
 * Modules add their own codes in their own catalogue and register it with `addProblemMessages`.
 */
export type Locale = 'id' | 'en';

type Catalogue = Record<string, { id: string; en: string }>;

const catalogue: Catalogue = {
  // Problem titles
  invalid: { id: 'Permintaan tidak valid.', en: 'The request is not valid.' },
  validation: { id: 'Data yang dikirim belum benar. Periksa kolom yang ditandai.', en: 'Some fields are not valid. Check the marked fields.' },
  invalid_json: { id: 'Isi permintaan bukan JSON yang valid.', en: 'The request body is not valid JSON.' },
  empty_body: { id: 'Isi permintaan kosong.', en: 'The request body is empty.' },
  unauthenticated: { id: 'Silakan masuk terlebih dahulu.', en: 'Please sign in first.' },
  session_expired: { id: 'Sesi Anda telah berakhir. Silakan masuk kembali.', en: 'Your session has expired. Please sign in again.' },
  forbidden: { id: 'Anda tidak memiliki izin untuk tindakan ini.', en: 'You do not have permission for this action.' },
  csrf_invalid: { id: 'Token keamanan (CSRF) tidak ada atau tidak cocok. Muat ulang halaman lalu coba lagi.', en: 'The security (CSRF) token is missing or does not match. Reload the page and try again.' },
  not_found: { id: 'Data tidak ditemukan.', en: 'Not found.' },
  route_not_found: { id: 'Alamat {method} {url} tidak ada.', en: 'There is no {method} {url}.' },
  tenant_not_found: { id: 'Pemerintah daerah "{slug}" tidak terdaftar di Balai ini.', en: 'The government "{slug}" is not registered on this Balai.' },
  conflict: { id: 'Data bentrok dengan data yang sudah ada.', en: 'This conflicts with existing data.' },
  payload_too_large: { id: 'Ukuran data terlalu besar (maksimal {limit}).', en: 'The request is too large (at most {limit}).' },
  unsupported_media_type: { id: 'Jenis konten "{type}" tidak didukung.', en: 'Content type "{type}" is not supported.' },
  rate_limited: { id: 'Terlalu banyak permintaan. Coba lagi dalam {seconds} detik.', en: 'Too many requests. Try again in {seconds} seconds.' },
  internal: { id: 'Terjadi kesalahan pada server. Tim kami sudah dicatat; silakan coba lagi.', en: 'Something went wrong on the server. It has been logged; please try again.' },
  unavailable: { id: 'Layanan sedang tidak tersedia. Coba lagi sebentar lagi.', en: 'The service is unavailable. Try again shortly.' },
  idempotency_mismatch: { id: 'Idempotency-Key ini sudah dipakai untuk permintaan lain.', en: 'This Idempotency-Key was already used for a different request.' },
  idempotency_in_progress: { id: 'Permintaan dengan Idempotency-Key ini masih diproses.', en: 'A request with this Idempotency-Key is still being processed.' },

  // Accounts
  login_failed: { id: 'E-mail/nomor HP atau kata sandi salah.', en: 'Wrong e-mail/mobile number or password.' },
  login_locked: { id: 'Akun dikunci sementara karena terlalu banyak percobaan gagal. Coba lagi dalam 15 menit atau atur ulang kata sandi.', en: 'The account is locked for a while after too many failed attempts. Try again in 15 minutes or reset the password.' },
  login_invited: { id: 'Akun ini belum diaktifkan. Buka tautan undangan di e-mail Anda untuk membuat kata sandi.', en: 'This account is not activated yet. Open the invitation link in your e-mail to set a password.' },
  login_disabled: { id: 'Akun ini dinonaktifkan. Hubungi admin.', en: 'This account is disabled. Contact an administrator.' },
  account_exists: { id: 'Akun dengan data ini sudah terdaftar.', en: 'An account with these details already exists.' },
  account_exists_email: { id: 'E-mail ini sudah terdaftar. Silakan masuk atau atur ulang kata sandi.', en: 'This e-mail is already registered. Sign in or reset the password.' },
  account_exists_phone: { id: 'Nomor HP ini sudah terdaftar. Silakan masuk atau atur ulang kata sandi.', en: 'This mobile number is already registered. Sign in or reset the password.' },
  password_wrong: { id: 'Kata sandi saat ini salah.', en: 'The current password is wrong.' },
  reset_token_invalid: { id: 'Tautan tidak berlaku lagi (sudah dipakai atau kedaluwarsa). Minta tautan baru.', en: 'The link is no longer valid (used or expired). Ask for a new one.' },

  // Field errors (zod issues and rules)
  'field.required': { id: 'Wajib diisi.', en: 'Required.' },
  'field.type': { id: 'Harus berupa {expected}.', en: 'Must be {expected}.' },
  'field.too_short': { id: 'Minimal {minimum} karakter.', en: 'At least {minimum} characters.' },
  'field.too_long': { id: 'Maksimal {maximum} karakter.', en: 'At most {maximum} characters.' },
  'field.too_small': { id: 'Minimal {minimum}.', en: 'At least {minimum}.' },
  'field.too_big': { id: 'Maksimal {maximum}.', en: 'At most {maximum}.' },
  'field.too_few': { id: 'Minimal {minimum} item.', en: 'At least {minimum} items.' },
  'field.too_many': { id: 'Maksimal {maximum} item.', en: 'At most {maximum} items.' },
  'field.format': { id: 'Format tidak valid ({format}).', en: 'Invalid format ({format}).' },
  'field.email': { id: 'Alamat e-mail tidak valid.', en: 'Invalid e-mail address.' },
  'field.uuid': { id: 'Pengenal (ID) tidak valid.', en: 'Invalid identifier.' },
  'field.date': { id: 'Tanggal tidak valid (format YYYY-MM-DD).', en: 'Invalid date (format YYYY-MM-DD).' },
  'field.enum': { id: 'Pilih salah satu: {options}.', en: 'Choose one of: {options}.' },
  'field.unknown': { id: 'Kolom "{key}" tidak dikenal.', en: 'Unknown field "{key}".' },
  'field.invalid': { id: 'Nilai tidak valid.', en: 'Invalid value.' },
  'field.phone': { id: 'Nomor HP tidak valid. Contoh: 081234567890.', en: 'Invalid mobile number. Example: 081234567890.' },
  'field.nip': { id: 'NIP harus 18 digit angka.', en: 'NIP must be 18 digits.' },
  'field.slug': { id: 'Hanya huruf kecil, angka dan tanda hubung (2–40 karakter).', en: 'Lowercase letters, digits and hyphens only (2–40 characters).' },
  'field.password_weak': { id: 'Kata sandi minimal 8 karakter dan memuat huruf serta angka.', en: 'The password needs at least 8 characters with letters and digits.' },
  'field.region_unknown': { id: 'Kode wilayah "{code}" tidak dikenal.', en: 'Unknown region code "{code}".' },
  'field.email_or_phone': { id: 'Isi e-mail atau nomor HP.', en: 'Enter an e-mail address or a mobile number.' },
  'nik.length': { id: 'NIK harus 16 digit.', en: 'A NIK has 16 digits.' },
  'nik.digits': { id: 'NIK hanya berisi angka.', en: 'A NIK contains digits only.' },
  'nik.region': { id: 'Kode wilayah pada NIK (6 digit pertama) tidak valid.', en: 'The region code in the NIK (first 6 digits) is not valid.' },
  'nik.birth_date': { id: 'Tanggal lahir pada NIK (digit 7–12) tidak valid.', en: 'The birth date in the NIK (digits 7–12) is not valid.' },
  'nik.serial': { id: 'Nomor urut pada NIK (4 digit terakhir) tidak valid.', en: 'The serial number in the NIK (last 4 digits) is not valid.' },
  'field.time': { id: 'Jam tidak valid (format HH:MM).', en: 'Invalid time (format HH:MM).' },

  // Files (server/platform/files)
  file_not_found: { id: 'Berkas tidak ditemukan.', en: 'File not found.' },
  file_empty: { id: 'Berkas kosong (0 byte). Pilih berkas lain.', en: 'The file is empty (0 bytes). Choose another file.' },
  file_type_unknown: { id: 'Jenis berkas tidak dikenali. Unggah foto JPEG, PNG, WebP atau GIF, atau dokumen PDF.', en: 'Unrecognised file type. Upload a JPEG, PNG, WebP or GIF photo, or a PDF document.' },
  file_type_unsupported: { id: 'Jenis berkas {type} tidak diterima. Unggah foto JPEG, PNG, WebP atau GIF, atau dokumen PDF.', en: 'Files of type {type} are not accepted. Upload a JPEG, PNG, WebP or GIF photo, or a PDF document.' },
  file_heic: {
    id: 'Foto HEIC/HEIF (format bawaan iPhone) belum dapat diterima. Pilih foto berformat JPEG (di iPhone: Pengaturan › Kamera › Format › Paling Kompatibel), atau unggah lewat aplikasi Balai yang mengubahnya ke JPEG secara otomatis.',
    en: 'HEIC/HEIF photos (the iPhone default) cannot be accepted yet. Choose a JPEG photo (on iPhone: Settings › Camera › Formats › Most Compatible), or upload through the Balai app, which converts it to JPEG for you.',
  },
  file_too_large: { id: 'Berkas terlalu besar (maksimal {limit}).', en: 'The file is too large (at most {limit}).' },
  file_too_many_pixels: { id: 'Resolusi gambar terlalu besar (maksimal {max} megapiksel). Perkecil gambar lalu unggah lagi.', en: 'The image resolution is too high (at most {max} megapixels). Make it smaller and upload again.' },
  file_broken: { id: 'Berkas rusak atau tidak lengkap sehingga tidak dapat dibaca. Coba unggah ulang.', en: 'The file is damaged or incomplete and cannot be read. Try uploading it again.' },
  file_pdf_encrypted: { id: 'PDF yang dikunci kata sandi atau dienkripsi tidak dapat diterima. Buka kuncinya lalu simpan ulang sebagai PDF biasa.', en: 'Password-protected or encrypted PDFs are not accepted. Unlock it and save it again as a plain PDF.' },
  file_pdf_active: {
    id: 'PDF ini berisi skrip, tindakan otomatis atau lampiran tersembunyi ({feature}) sehingga ditolak demi keamanan. Simpan ulang sebagai PDF biasa (Cetak › Simpan sebagai PDF).',
    en: 'This PDF contains scripts, automatic actions or hidden attachments ({feature}) and is refused for safety. Save it again as a plain PDF (Print › Save as PDF).',
  },
  file_pdf_unreadable: { id: 'Isi PDF ini tidak dapat diperiksa keamanannya. Simpan ulang sebagai PDF biasa (Cetak › Simpan sebagai PDF).', en: 'The contents of this PDF cannot be checked for safety. Save it again as a plain PDF (Print › Save as PDF).' },
  file_polyglot: { id: 'Berkas ini sekaligus berisi jenis berkas lain ({other}) dan ditolak demi keamanan.', en: 'This file is at the same time another kind of file ({other}) and is refused for safety.' },
  file_one_only: { id: 'Kirim tepat satu berkas (kolom "file") dalam satu unggahan.', en: 'Send exactly one file (field "file") per upload.' },
  file_form_invalid: { id: 'Formulir unggahan tidak valid ({reason}).', en: 'The upload form is not valid ({reason}).' },
  file_multipart_required: { id: 'Unggah berkas sebagai multipart/form-data dengan kolom "file".', en: 'Upload files as multipart/form-data with a "file" field.' },
  'field.file_required': { id: 'Pilih berkas untuk diunggah.', en: 'Choose a file to upload.' },
  'field.file_purpose': { id: 'Tujuan berkas "{purpose}" tidak dikenal.', en: 'Unknown file purpose "{purpose}".' },
  'field.file_unusable': { id: 'Berkas tidak ditemukan, bukan unggahan Anda, atau sudah dipakai.', en: 'The file was not found, was not uploaded by you, or is already in use.' },

  // Regions, working calendar, tenant settings, outbox (platform/regions, calendar, tenancy, notify)
  region_not_found: { id: 'Wilayah dengan kode "{code}" tidak ditemukan.', en: 'No region has the code "{code}".' },
  'regions.level_below_parent': { id: 'Tingkat wilayah harus di bawah tingkat induknya ({parentLevel}).', en: 'The level must be below the level of the parent ({parentLevel}).' },
  'regions.level_too_deep': { id: 'Daftar wilayah tanpa pencarian paling dalam sampai tingkat {maxLevel}; pilih induk yang lebih dekat atau isi kata pencarian.', en: 'A listing without a search goes at most to level {maxLevel}; choose a closer parent or enter a search.' },
  'regions.cursor_with_search': { id: 'Hasil pencarian wilayah hanya satu halaman; kursor tidak dipakai.', en: 'A region search returns one page; a cursor cannot be used.' },
  tenant_wide_required: { id: 'Tindakan ini memerlukan izin "{permission}" untuk seluruh pemerintah daerah (pada unit induk).', en: 'This needs the "{permission}" permission for the whole government (on the root unit).' },
  nothing_to_change: { id: 'Tidak ada perubahan yang dikirim.', en: 'Nothing to change was sent.' },
  'calendar.day_exists': { id: 'Tanggal {day} sudah ada di kalender kerja; ubah atau hapus yang ada.', en: '{day} is already in the working calendar; change or remove it.' },
  'calendar.day_not_found': { id: 'Tanggal {day} tidak ada di kalender kerja.', en: '{day} is not in the working calendar.' },
  'calendar.extra_workday_on_workday': { id: 'Hari kerja tambahan hanya untuk hari libur akhir pekan; {day} sudah hari kerja biasa.', en: 'An extra working day must fall on a weekend day; {day} is already an ordinary working day.' },
  'tenant.field_fixed': { id: 'Tidak dapat diubah setelah pemerintah daerah dibuat.', en: 'Cannot be changed after the government is set up.' },
  'tenant.office_hours_order': { id: 'Jam pulang harus setelah jam masuk.', en: 'The office end must be after the office start.' },
  'tenant.host_taken': { id: 'Nama host "{host}" sudah dipakai pemerintah daerah lain.', en: 'The host name "{host}" is already used by another government.' },
  'tenant.logo_unknown': { id: 'Berkas logo tidak ditemukan. Unggah gambarnya terlebih dahulu.', en: 'The logo file was not found. Upload the image first.' },
  'tenant.logo_not_image': { id: 'Logo harus berupa gambar (PNG, JPEG atau WebP).', en: 'The logo must be an image (PNG, JPEG or WebP).' },
  'tenant.contact_phone': { id: 'Nomor telepon hanya berisi angka, spasi dan tanda + - ( ) . (3–40 karakter).', en: 'A phone number has digits, spaces and + - ( ) . only (3–40 characters).' },
  'field.host': { id: 'Nama host tidak valid (contoh: layanan.makassarkota.go.id, tanpa http:// dan tanpa port).', en: 'Invalid host name (e.g. layanan.makassarkota.go.id, without http:// or a port).' },
  'field.weekdays': { id: 'Hari kerja berupa angka 1 (Senin) sampai 7 (Minggu), masing-masing sekali.', en: 'Working days are numbers 1 (Monday) to 7 (Sunday), each at most once.' },
  outbox_not_found: { id: 'E-mail tidak ditemukan di kotak keluar.', en: 'The e-mail was not found in the outbox.' },
  'field.cursor': { id: 'Kursor halaman tidak valid; muat ulang daftar dari awal.', en: 'Invalid page cursor; reload the list from the start.' },

  // Events, notifications and announcements (server/platform/events, server/platform/notify)
  'events.too_many_streams': { id: 'Terlalu banyak tampilan langsung yang terbuka (maksimal {max}). Tutup tab lain lalu coba lagi.', en: 'Too many live views are open (at most {max}). Close other tabs and try again.' },
  'field.link': { id: 'Tautan harus berupa alamat halaman di Balai, diawali "/".', en: 'The link must be a page address in Balai, starting with "/".' },
  'announcement.no_recipients': { id: 'Unit ini dan sub-unitnya belum memiliki staf aktif untuk menerima pengumuman.', en: 'This unit and its sub-units have no active staff to receive the announcement.' },
  'announcement.too_many_recipients': { id: 'Pengumuman ini akan menjangkau lebih dari {max} staf. Kirim per unit yang lebih kecil.', en: 'This announcement would reach more than {max} staff. Send it per smaller unit.' },

  // Organisation and access administration: units, users, grants, roles, API keys, audit browse
  // (server/platform/org, policies, auth/apikeys, audit/routes)
  unit_code_taken: { id: 'Kode unit "{code}" sudah dipakai unit lain.', en: 'The unit code "{code}" is already used by another unit.' },
  unit_has_active_children: {
    id: 'Unit ini masih memiliki {count} sub-unit aktif. Nonaktifkan atau pindahkan sub-unit tersebut terlebih dahulu.',
    en: 'This unit still has {count} active sub-units. Deactivate or move them first.',
  },
  unit_parent_inactive: { id: 'Unit induknya tidak aktif. Aktifkan unit induk terlebih dahulu.', en: 'Its parent unit is inactive. Reactivate the parent first.' },
  'field.unit_code': { id: 'Kode hanya boleh huruf, angka, titik, tanda hubung dan garis bawah (maksimal 40).', en: 'Codes use letters, digits, dots, hyphens and underscores only (at most 40).' },
  'field.unit_code_taken': { id: 'Kode "{code}" sudah dipakai unit lain.', en: 'The code "{code}" is already used by another unit.' },
  'field.unit_parent_inactive': { id: 'Unit induk tidak aktif.', en: 'The parent unit is inactive.' },
  'field.unit_kind_nesting': { id: 'Unit jenis {kind} tidak dapat berada langsung di bawah unit jenis {parent}.', en: 'A unit of kind {kind} cannot sit directly below a unit of kind {parent}.' },
  'field.unit_move_cycle': { id: 'Unit tidak dapat dipindahkan ke bawah dirinya sendiri atau sub-unitnya.', en: 'A unit cannot be moved below itself or one of its sub-units.' },
  'field.unit_root_immovable': { id: 'Unit induk pemerintah daerah tidak dapat dipindahkan.', en: 'The root unit of the government cannot be moved.' },
  'field.unit_root_deactivate': { id: 'Unit induk pemerintah daerah tidak dapat dinonaktifkan.', en: 'The root unit of the government cannot be deactivated.' },
  'field.unit_inactive': { id: 'Unit ini tidak aktif.', en: 'This unit is inactive.' },
  'field.region_outside_tenant': { id: 'Kode wilayah "{code}" berada di luar wilayah pemerintah daerah ini ({tenant}).', en: 'The region code "{code}" is outside this government’s region ({tenant}).' },
  'field.patch_empty': { id: 'Tidak ada perubahan yang dikirim.', en: 'Nothing to change was sent.' },
  // Complaints (server/modules/complaints)
  'complaint.transition_invalid': { id: 'Tindakan "{action}" tidak dapat dilakukan pada laporan berstatus "{status}".', en: 'The action "{action}" cannot be taken on a report with status "{status}".' },
  'health.bpjs_number': { id: 'Nomor kartu BPJS Kesehatan harus 13 digit angka.', en: 'A BPJS Kesehatan card number has 13 digits.' },
  'health.nik_birth_date_mismatch': { id: 'Tanggal lahir tidak sesuai dengan NIK (digit 7–12).', en: 'The birth date does not match the NIK (digits 7–12).' },
  'health.nik_sex_mismatch': { id: 'Jenis kelamin tidak sesuai dengan NIK (tanggal lahir perempuan ditambah 40).', en: 'The sex does not match the NIK (women have 40 added to the birth day).' },
  'health.nik_region_unknown': { id: 'Kode kecamatan pada NIK ({code}) tidak terdaftar.', en: 'The district code in the NIK ({code}) is not registered.' },
  'health.nik_taken': { id: 'Pasien dengan NIK ini sudah terdaftar. Hubungi loket puskesmas bila data perlu dikoreksi.', en: 'A patient with this NIK is already registered. Ask the counter if the data needs correcting.' },
  'health.relation_required': { id: 'Pilih hubungan pasien dengan Anda.', en: 'Choose how the patient is related to you.' },
  'health.self_taken': { id: 'Anda sudah mendaftarkan diri sendiri sebagai pasien.', en: 'You have already registered yourself as a patient.' },
  'health.patient_unknown': { id: 'Pasien tidak ditemukan di antara pasien Anda.', en: 'The patient is not one of yours.' },
  'health.service_unknown': { id: 'Layanan tidak ditemukan atau tidak aktif.', en: 'The service was not found or is inactive.' },
  'health.online_closed': { id: 'Fasilitas ini belum menerima pendaftaran online. Silakan datang ke loket.', en: 'This facility does not take online registrations yet. Please register at the counter.' },
  'health.date_past': { id: 'Tanggal kunjungan sudah lewat.', en: 'The visit date has passed.' },
  'health.date_too_far': { id: 'Pendaftaran paling lambat 7 hari sebelum kunjungan.', en: 'Registration opens at most 7 days ahead.' },
  'health.closed_holiday': { id: 'Layanan tutup pada hari libur tanggal {date}.', en: 'The service is closed on the holiday of {date}.' },
  'health.closed_day': { id: 'Layanan tidak buka pada tanggal {date}.', en: 'The service is not open on {date}.' },
  'health.session_unknown': { id: 'Sesi {session} tidak ada pada hari itu.', en: 'There is no session {session} that day.' },
  'health.session_over': { id: 'Sesi ini sudah berakhir.', en: 'This session is over.' },
  'health.quota_full_online': { id: 'Kuota pendaftaran online untuk sesi itu sudah penuh. Pilih tanggal atau sesi lain.', en: 'The online quota of that session is full. Choose another date or session.' },
  'health.quota_full_onsite': { id: 'Kuota sesi itu sudah penuh.', en: 'The quota of that session is full.' },
  'health.already_registered': { id: 'Pasien ini masih memiliki pendaftaran aktif di layanan ini ({queueCode}).', en: 'This patient still has an active registration for this service ({queueCode}).' },
  'health.visit_transition_invalid': { id: 'Tindakan "{action}" tidak dapat dilakukan pada antrean berstatus "{status}".', en: 'The action "{action}" cannot be taken on a queue entry with status "{status}".' },
  'health.visit_not_today': { id: 'Antrean ini untuk tanggal {date}, bukan hari ini.', en: 'This queue entry is for {date}, not today.' },
  'health.facility_unknown': { id: 'Fasilitas kesehatan tidak ditemukan.', en: 'The health facility was not found.' },
  'health.time_format': { id: 'Tulis jam sebagai JJ:MM, misalnya 08:00.', en: 'Write times as HH:MM, e.g. 08:00.' },
  'health.shift_order': { id: 'Jam selesai harus setelah jam mulai.', en: 'The end time must be after the start time.' },
  'health.leave_no_service': { id: 'Cuti tidak memilih poli: cuti berlaku untuk semua jadwal pada jam itu.', en: 'Leave names no clinic: it applies to every shift in those hours.' },
  'health.transfer_target_invalid': { id: 'Pilih poli atau farmasi lain di fasilitas yang sama.', en: 'Choose another clinic or the pharmacy of the same facility.' },
  'health.transfer_target_closed': { id: '{service} tidak buka lagi hari ini; pasien tidak dapat dirujuk ke sana.', en: '{service} is not open any more today; the patient cannot be sent there.' },
  'health.drug_repeated': { id: 'Obat ini sudah ada di baris lain resep; gabungkan jumlahnya.', en: 'This drug is already on another line; combine the quantities.' },
  'health.drug_unknown': { id: 'Obat tidak ditemukan di katalog atau tidak aktif.', en: 'The drug is not in the catalogue or is inactive.' },
  'health.prescription_not_poli': { id: 'Resep ditulis pada kunjungan poli, bukan pada antrean farmasi.', en: 'Prescriptions are written at a clinic visit, not at the pharmacy queue.' },
  'health.prescription_visit_state': { id: 'Resep hanya dapat ditulis untuk pasien yang sudah dipanggil atau dilayani (status kini "{status}").', en: 'A prescription can only be written for a patient who was called or served (status now "{status}").' },
  'health.prescription_not_pending': { id: 'Resep ini sudah tidak menunggu (status "{status}") dan tidak dapat diubah atau diserahkan lagi.', en: 'This prescription is no longer pending (status "{status}") and cannot be changed or dispensed again.' },
  'health.stock_insufficient': { id: 'Stok {drug} tidak cukup: diminta {quantity} {unit}, tersedia {available} {unit}.', en: 'Not enough {drug}: {quantity} {unit} asked, {available} {unit} available.' },
  'health.batch_no': { id: 'Nomor bets hanya huruf, angka, titik, garis miring dan tanda hubung (maks. 40).', en: 'A batch number has letters, digits, dots, slashes and hyphens only (max. 40).' },
  'health.batch_expired': { id: 'Tanggal kedaluwarsa harus setelah hari ini; obat kedaluwarsa tidak diterima.', en: 'The expiry date must be after today; expired drugs are not received.' },
  'health.batch_expiry_mismatch': { id: 'Bets {batchNo} sudah tercatat dengan tanggal kedaluwarsa {expiresOn}.', en: 'Batch {batchNo} is already recorded with expiry {expiresOn}.' },
  'health.adjustment_zero': { id: 'Jumlah penyesuaian tidak boleh 0.', en: 'The adjustment cannot be 0.' },
  'health.stock_negative': { id: 'Stok bets ini tinggal {quantity}; penyesuaian tidak boleh membuatnya minus.', en: 'This batch holds {quantity}; the adjustment cannot take it below zero.' },
  'health.bed_required': { id: 'Pilih tempat tidur atau kelasnya.', en: 'Choose a bed or its class.' },
  'health.referral_from_required': { id: 'Tulis asal rujukan (puskesmas atau rumah sakit perujuk).', en: 'Name where the referral comes from (the referring puskesmas or hospital).' },
  'health.request_required': { id: 'Pilih pra-registrasi online yang diterima.', en: 'Choose the online pre-registration being admitted.' },
  'health.bed_unknown': { id: 'Tempat tidur tidak ditemukan di rumah sakit ini.', en: 'The bed was not found at this hospital.' },
  'health.bed_class_mismatch': { id: 'Tempat tidur ini bukan kelas {bedClass}.', en: 'This bed is not of class {bedClass}.' },
  'health.bed_room_sex': { id: 'Kamar ini khusus pasien berjenis kelamin lain.', en: 'This room is for patients of the other sex.' },
  'health.bed_out_of_service': { id: 'Tempat tidur {code} sedang tidak dipakai (perbaikan/pembersihan).', en: 'Bed {code} is out of service (repair or cleaning).' },
  'health.bed_taken': { id: 'Tempat tidur {code} baru saja terisi. Pilih tempat tidur lain.', en: 'Bed {code} has just been taken. Choose another bed.' },
  'health.no_free_bed': { id: 'Tidak ada tempat tidur {bedClass} yang kosong.', en: 'No {bedClass} bed is free.' },
  'health.patient_not_found': { id: 'Pasien tidak ditemukan.', en: 'The patient was not found.' },
  'health.already_admitted': { id: 'Pasien ini sedang dirawat inap di {facility}.', en: 'This patient is already admitted at {facility}.' },
  'health.request_unknown': { id: 'Pra-registrasi tidak ditemukan untuk pasien dan rumah sakit ini.', en: 'No such pre-registration for this patient and hospital.' },
  'health.request_not_pending': { id: 'Pra-registrasi ini sudah diproses atau dibatalkan.', en: 'This pre-registration was already handled or cancelled.' },
  'health.request_open': { id: 'Pasien ini masih memiliki pra-registrasi yang menunggu di rumah sakit ini.', en: 'This patient already has a pending pre-registration at this hospital.' },
  'health.admission_closed': { id: 'Pasien ini sudah pulang; rawat inapnya sudah ditutup.', en: 'This patient has been discharged; the stay is closed.' },
  'health.bed_same': { id: 'Pasien sudah berada di tempat tidur ini.', en: 'The patient is already in this bed.' },
  'health.bed_occupied_service': { id: 'Tempat tidur yang terisi tidak dapat dinonaktifkan.', en: 'An occupied bed cannot be taken out of service.' },
  'health.preregistration_too_far': { id: 'Pra-registrasi paling lambat {days} hari sebelum rencana rawat inap.', en: 'Pre-registration opens at most {days} days ahead.' },
  'health.class_not_offered': { id: 'Rumah sakit ini tidak memiliki tempat tidur kelas itu.', en: 'This hospital has no beds of that class.' },
  'health.service_code': { id: 'Kode layanan huruf kecil, angka dan garis bawah, 2–30 karakter, diawali huruf (mis. poli_mata).', en: 'A service code has lowercase letters, digits and underscores, 2–30 characters, starting with a letter (e.g. poli_mata).' },
  'health.queue_prefix': { id: 'Awalan nomor antrean satu atau dua huruf besar (mis. G).', en: 'A queue prefix is one or two capital letters (e.g. G).' },
  'health.service_code_taken': { id: 'Kode layanan ini sudah dipakai di fasilitas ini.', en: 'This service code is already used at this facility.' },
  'health.queue_prefix_taken': { id: 'Awalan nomor antrean ini sudah dipakai layanan lain di fasilitas ini.', en: 'This queue prefix is already used by another service of this facility.' },
  'health.nothing_to_change': { id: 'Tidak ada yang diubah.', en: 'Nothing to change.' },
  'health.weekday_repeated': { id: 'Hari ini sudah ada di baris lain.', en: 'This weekday is already on another line.' },
  'health.session_overlap': { id: 'Sesi ini mulai sebelum sesi sebelumnya selesai.', en: 'This session starts before the previous one ends.' },
  'health.hours_in_use': { id: '{count} pendaftaran mulai hari ini masih memakai sesi yang akan dihapus. Batalkan atau pindahkan dulu.', en: '{count} registrations from today on still hold a session that would go. Cancel or move them first.' },
  'health.exception_past': { id: 'Cuti atau jadwal tambahan tanggal {day} sudah lewat dan tetap dicatat.', en: 'The leave or extra shift of {day} is past and stays on record.' },
  'health.str_number': { id: 'Nomor STR 6–30 karakter: angka, huruf besar, titik, garis miring atau tanda hubung.', en: 'An STR number has 6–30 characters: digits, capital letters, dots, slashes or hyphens.' },
  'health.drug_catalogue_forbidden': { id: 'Katalog obat berlaku untuk seluruh daerah; hanya pengelola farmasi tingkat pemda yang dapat mengubahnya.', en: 'The drug catalogue is the whole government’s; only pharmacy managers at government level can change it.' },
  'health.drug_code': { id: 'Kode obat huruf besar, angka dan tanda hubung, 2–30 karakter (mis. PCT-500).', en: 'A drug code has capital letters, digits and hyphens, 2–30 characters (e.g. PCT-500).' },
  'health.drug_code_taken': { id: 'Kode obat ini sudah dipakai obat lain di katalog.', en: 'This drug code is already used by another drug of the catalogue.' },
  'health.drug_unit': { id: 'Satuan 2–20 huruf, mis. tablet, botol, tube.', en: 'A unit has 2–20 letters, e.g. tablet, bottle, tube.' },
  'health.drug_unit_in_use': { id: 'Satuan tidak dapat diubah: stok dan resep obat ini sudah dihitung dalam {unit}.', en: 'The unit cannot change: stock and prescriptions of this drug are already counted in {unit}.' },
  'health.visit_not_cancellable': { id: 'Pendaftaran ini tidak dapat dibatalkan lagi.', en: 'This registration can no longer be cancelled.' },
  'complaints.category_unknown': { id: 'Kategori tidak ditemukan atau tidak aktif.', en: 'The category was not found or is inactive.' },
  'complaints.category_name_taken': { id: 'Nama kategori "{name}" sudah dipakai.', en: 'The category name "{name}" is already used.' },
  'complaints.location_outside': { id: 'Titik lokasi berada di luar wilayah pemerintah daerah ini.', en: 'The location is outside this government’s area.' },
  'complaints.hours_range': { id: 'Isi jumlah jam kerja 1–{max}, atau kosongkan bila tanpa tenggat.', en: 'Enter 1–{max} working hours, or leave it empty for no deadline.' },
  'complaints.bounds_inverted': { id: 'Batas selatan harus di bawah batas utara dan batas barat di kiri batas timur.', en: 'The south bound must be below the north bound and the west bound left of the east bound.' },
  'complaints.place_required': { id: 'Tandai lokasi di peta atau pilih kecamatan/kelurahan.', en: 'Mark the place on the map or choose a kecamatan/kelurahan.' },
  'complaints.region_code': { id: 'Kode wilayah harus kode kecamatan (73.71.01) atau kelurahan (73.71.01.1001).', en: 'The region code must be a kecamatan (73.71.01) or kelurahan (73.71.01.1001) code.' },
  'complaints.reporter_anonymous_only': { id: 'Data kontak pelapor hanya diisi untuk laporan tanpa akun; akun Anda sudah dikenali.', en: 'Reporter contact is only for anonymous reports; your account is already known.' },
  'complaints.photo_not_image': { id: 'Lampiran laporan harus berupa foto (JPEG, PNG atau WebP).', en: 'Report attachments must be photos (JPEG, PNG or WebP).' },
  'complaints.unit_unknown': { id: 'Unit tidak ditemukan atau tidak aktif.', en: 'The unit was not found or is inactive.' },
  // Complaints follow-up (server/modules/complaints, slice 2)
  'complaints.reopen_expired': { id: 'Laporan hanya dapat dibuka kembali dalam {days} hari setelah ditindaklanjuti.', en: 'A report can only be reopened within {days} days of its resolution.' },
  'complaints.already_rated': { id: 'Laporan ini sudah dinilai.', en: 'This report has already been rated.' },
  'complaints.rule_exists': { id: 'Sudah ada aturan rute untuk kategori dan wilayah ini.', en: 'A routing rule for this category and region already exists.' },
  'complaints.attribute_code': { id: 'Kode atribut: huruf kecil, angka dan garis bawah, diawali huruf.', en: 'Attribute codes use lowercase letters, digits and underscores, starting with a letter.' },
  'complaints.attribute_duplicate': { id: 'Kode atribut tidak boleh kembar.', en: 'Attribute codes must be unique.' },
  'complaints.attribute_values': { id: 'Atribut pilihan (singlevaluelist) wajib punya daftar nilai; jenis lain tidak.', en: 'A singlevaluelist attribute needs values; other types must not have them.' },
  'complaints.icon': { id: 'Nama ikon tidak valid (contoh: IconRoad).', en: 'Invalid icon name (e.g. IconRoad).' },
  // Complaints: duplicates, support, merge, moderation (server/modules/complaints/duplicates)
  'complaints.support_closed': { id: 'Laporan ini sudah tidak terbuka untuk dukungan.', en: 'This report is no longer open for support.' },
  'complaints.support_own': { id: 'Anda tidak dapat mendukung laporan Anda sendiri.', en: 'You cannot support your own report.' },
  'complaints.support_email_anonymous_only': { id: 'Alamat e-mail hanya diisi bila mendukung tanpa akun; akun Anda sudah dikenali.', en: 'The e-mail address is only for anonymous support; your account is already known.' },
  'complaints.merge_self': { id: 'Laporan tidak dapat digabungkan ke dirinya sendiri.', en: 'A report cannot be merged into itself.' },
  'complaints.merge_target_closed': { id: 'Laporan tujuan sudah ditutup, ditolak atau dicabut; pilih laporan yang masih terbuka.', en: 'The target report is closed, rejected or withdrawn; choose an open report.' },
  'complaints.redaction_phrase_missing': { id: 'Teks "{phrase}" tidak ditemukan pada isian yang disamarkan.', en: 'The text "{phrase}" does not occur in the redacted field.' },
  'complaints.redaction_too_long': { id: 'Hasil penyamaran melebihi {max} karakter.', en: 'The redacted text would exceed {max} characters.' },
  'complaints.photo_internal': { id: 'Foto ini lampiran catatan internal dan tidak dapat ditampilkan untuk publik.', en: 'This photo belongs to an internal note and cannot be shown to the public.' },
  'complaints.redaction_event': { id: 'Hanya catatan publik pada riwayat laporan ini yang dapat disamarkan.', en: 'Only public notes on this report’s timeline can be redacted.' },
  'field.email_taken': { id: 'E-mail ini sudah dipakai akun lain.', en: 'This e-mail address is used by another account.' },
  'field.phone_taken': { id: 'Nomor HP ini sudah dipakai akun lain.', en: 'This mobile number is used by another account.' },
  'field.nip_taken': { id: 'NIP ini sudah dipakai akun lain.', en: 'This NIP is used by another account.' },
  'field.nip_staff_only': { id: 'NIP hanya untuk akun staf.', en: 'Only staff accounts have a NIP.' },
  'field.grants_required': { id: 'Berikan minimal satu peran pada unit yang Anda kelola.', en: 'Give at least one role on a unit you manage.' },
  'field.role_unknown': { id: 'Peran "{key}" tidak dikenal.', en: 'Unknown role "{key}".' },
  'field.role_key': { id: 'Kunci peran: huruf kecil, angka dan garis bawah, diawali huruf (2–50 karakter).', en: 'Role keys use lowercase letters, digits and underscores, starting with a letter (2–50 characters).' },
  'field.role_key_taken': { id: 'Kunci peran "{key}" sudah dipakai.', en: 'The role key "{key}" is already used.' },
  'field.permission_unknown': { id: 'Izin "{key}" tidak ada dalam katalog.', en: 'The permission "{key}" is not in the catalogue.' },
  'field.datetime': { id: 'Isi tanggal (YYYY-MM-DD) atau waktu ISO 8601 dengan zona (mis. 2026-11-27T08:00:00+08:00).', en: 'Enter a date (YYYY-MM-DD) or an ISO 8601 time with offset (e.g. 2026-11-27T08:00:00+08:00).' },
  'field.entity_type_required': { id: 'Isi juga jenis entitas (entityType) saat memfilter menurut ID entitas.', en: 'Also give the entity type (entityType) when filtering by entity id.' },
  user_outside_scope: { id: 'Akun ini memiliki peran di luar unit atau izin yang Anda kelola, sehingga tidak dapat Anda ubah.', en: 'This account holds roles outside the units or rights you manage, so you cannot change it.' },
  user_disable_self: { id: 'Anda tidak dapat menonaktifkan akun Anda sendiri.', en: 'You cannot disable your own account.' },
  user_not_staff: { id: 'Peran hanya dapat diberikan kepada akun staf.', en: 'Roles can only be given to staff accounts.' },
  user_not_invited: { id: 'Akun ini tidak sedang menunggu undangan (sudah aktif atau dinonaktifkan).', en: 'This account is not waiting for an invitation (it is active or disabled).' },
  grant_role_exceeds: {
    id: 'Anda tidak dapat memberikan atau mencabut peran "{role}": peran itu memuat izin yang tidak Anda miliki pada unit tersebut.',
    en: 'You cannot give or take back the role "{role}": it holds permissions you do not have on that unit.',
  },
  grant_exists: { id: 'Akun ini sudah memiliki peran "{role}" pada unit tersebut.', en: 'This account already holds the role "{role}" on that unit.' },
  grant_last_admin: {
    id: 'Ini peran administrator terakhir Anda pada unit induk. Minta administrator lain mencabutnya agar pemerintah daerah tidak kehilangan admin.',
    en: 'This is your last administrator role on the root unit. Ask another administrator to remove it, so that the government keeps an admin.',
  },
  role_key_taken: { id: 'Kunci peran sudah dipakai.', en: 'The role key is already used.' },
  role_system: { id: 'Peran bawaan sistem tidak dapat diubah. Buat peran baru bila perlu.', en: 'Built-in system roles cannot be changed. Create a new role instead.' },
  role_permission_not_held: { id: 'Anda tidak dapat menyusun peran dengan izin yang tidak Anda miliki: {permissions}.', en: 'You cannot build a role with permissions you do not hold: {permissions}.' },
  apikey_permission_not_held: { id: 'Kunci API tidak dapat diberi izin yang tidak Anda miliki di sana: {permissions}.', en: 'An API key cannot get permissions you do not hold there: {permissions}.' },

  // Idempotency keys (server/platform/idempotency); idempotency_mismatch/_in_progress are above
  'field.idempotency_key': {
    id: 'Idempotency-Key harus 1–100 karakter huruf, angka, atau _ - : . (misalnya UUID acak).',
    en: 'Idempotency-Key must be 1–100 characters of letters, digits or _ - : . (e.g. a random UUID).',
  },
  'field.idempotency_key_required': { id: 'Header Idempotency-Key wajib untuk permintaan ini.', en: 'This request needs an Idempotency-Key header.' },
};

const typeNames: Record<string, { id: string; en: string }> = {
  string: { id: 'teks', en: 'text' },
  number: { id: 'angka', en: 'a number' },
  int: { id: 'bilangan bulat', en: 'a whole number' },
  boolean: { id: 'ya/tidak (boolean)', en: 'true or false' },
  array: { id: 'daftar', en: 'a list' },
  object: { id: 'objek', en: 'an object' },
  date: { id: 'tanggal', en: 'a date' },
};

export function addProblemMessages(extra: Catalogue): void {
  for (const [k, v] of Object.entries(extra)) catalogue[k] = v;
}

export function hasProblemMessage(code: string): boolean {
  return code in catalogue;
}

export function problemMessage(code: string, locale: Locale, params: Record<string, unknown> = {}): string {
  const entry = catalogue[code];
  const template = entry ? entry[locale] : code;
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = params[name];
    if (name === 'expected' && typeof v === 'string') return typeNames[v]?.[locale] ?? v;
    return v === undefined ? `{${name}}` : Array.isArray(v) ? v.join(', ') : String(v);
  });
}

/** Picks the response language from an Accept-Language header; Indonesian unless English is preferred. */
export function pickLocale(acceptLanguage: string | undefined, fallback: Locale = 'id'): Locale {
  if (!acceptLanguage) return fallback;
  const ranked = acceptLanguage
    .split(',')
    .map((part) => {
      const [tag, ...rest] = part.trim().toLowerCase().split(';');
      const q = rest.find((r) => r.trim().startsWith('q='));
      return { tag: tag.trim(), q: q ? Number(q.trim().slice(2)) || 0 : 1 };
    })
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    if (tag.startsWith('id') || tag.startsWith('in')) return 'id';
    if (tag.startsWith('en')) return 'en';
  }
  return fallback;
}

/** A zod issue (v4 shape), reduced to the fields the formatter reads. */
export interface IssueLike {
  code: string;
  path: PropertyKey[];
  message: string;
  expected?: string;
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  format?: string;
  keys?: string[];
  values?: unknown[];
  input?: unknown;
}

/** Turns zod issues into field errors with catalogue codes. */
export function issuesToFieldErrors(issues: IssueLike[]): { field: string; code: string; params: Record<string, unknown> }[] {
  const out: { field: string; code: string; params: Record<string, unknown> }[] = [];
  for (const i of issues) {
    const field = i.path.map(String).join('.');
    switch (i.code) {
      case 'invalid_type':
        out.push(
          i.input === undefined && i.message.includes('undefined')
            ? { field, code: 'field.required', params: {} }
            : { field, code: 'field.type', params: { expected: i.expected } },
        );
        break;
      case 'too_small':
        out.push({
          field,
          code: i.origin === 'string' ? (Number(i.minimum) === 1 ? 'field.required' : 'field.too_short') : i.origin === 'array' ? 'field.too_few' : 'field.too_small',
          params: { minimum: Number(i.minimum) },
        });
        break;
      case 'too_big':
        out.push({
          field,
          code: i.origin === 'string' ? 'field.too_long' : i.origin === 'array' ? 'field.too_many' : 'field.too_big',
          params: { maximum: Number(i.maximum) },
        });
        break;
      case 'invalid_format':
        if (hasProblemMessage(i.message)) {
          out.push({ field, code: i.message, params: {} });
          break;
        }
        out.push({
          field,
          // A pattern with its own catalogue message (e.g. 'field.nip') keeps that message.
          code: i.format === 'regex' && hasProblemMessage(i.message) ? i.message : i.format === 'email' ? 'field.email' : i.format === 'uuid' ? 'field.uuid' : i.format === 'date' ? 'field.date' : 'field.format',
          params: { format: i.format },
        });
        break;
      case 'invalid_value':
        out.push({ field, code: 'field.enum', params: { options: (i.values ?? []).map(String) } });
        break;
      case 'unrecognized_keys':
        for (const key of i.keys ?? []) out.push({ field: field ? `${field}.${key}` : key, code: 'field.unknown', params: { key } });
        break;
      case 'custom':
        out.push({ field, code: hasProblemMessage(i.message) ? i.message : 'field.invalid', params: {} });
        break;
      default:
        out.push({ field, code: hasProblemMessage(i.message) ? i.message : 'field.invalid', params: {} });
    }
  }
  return out;
}
