import { addProblemMessages } from '../../../../common/i18n/problems.js';

/** Problem messages of the channels (intake webhook, triage queue, call-centre console). */
addProblemMessages({
  'complaints.intake_api_key_only': {
    id: 'Kanal masuk hanya menerima kiriman dengan kunci API integrasi (header Authorization: Bearer atau X-API-Key).',
    en: 'The intake channel only accepts deliveries with an integration API key (Authorization: Bearer or X-API-Key header).',
  },
  'complaints.intake_handled': {
    id: 'Pesan ini sudah ditangani ({status}); tidak dapat diubah lagi.',
    en: 'This message has already been handled ({status}); it cannot be changed again.',
  },
  'complaints.intake_media_unknown': {
    id: 'Lampiran ini bukan bagian dari pesan tersebut.',
    en: 'This attachment is not part of the message.',
  },
  'complaints.caller_phone': {
    id: 'Isi nomor HP penelepon (contoh 0812 3456 7890).',
    en: 'Enter the caller’s mobile number (e.g. 0812 3456 7890).',
  },
});
