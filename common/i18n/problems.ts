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
        out.push({
          field,
          code: i.format === 'email' ? 'field.email' : i.format === 'uuid' ? 'field.uuid' : i.format === 'date' ? 'field.date' : 'field.format',
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
