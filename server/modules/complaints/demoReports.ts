import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { DeadlineHours } from '../../../common/complaints/contracts.js';
import type { ComplaintAction, ComplaintStatus, RejectionReason, WorkflowActor } from '../../../common/complaints/workflow.js';
import { transition } from '../../../common/complaints/workflow.js';
import { normalizePhone } from '../../../common/validators.js';
import type { Tx } from '../../db/client.js';
import { auditEvents } from '../../platform/audit/schema.js';
import type { AuditInput } from '../../platform/audit/write.js';
import { loadCalendar } from '../../platform/calendar/load.js';
import { rowsOf } from '../../platform/org/sql.js';
import type { Actor } from '../../platform/policies/actor.js';
import { hashAccessToken, newTrackingCode } from './commands/submitComplaint.js';
import { nextDeadline } from './deadlines.js';
import { complaintEvents, complaints } from './schema.js';

/**
 * About sixty reports of the demo city (Makassar) from the last three weeks, in every status of
 * the workflow, each with the timeline and audit events its commands would have written, and
 * deadlines computed on the tenant's working calendar as the commands compute them (some open
 * ones are past due). Written with plain multi-row inserts inside the demo seed's transaction so
 * that a fresh start stays fast; every move is checked against the workflow table. No domain
 * events: they feed live screens and consumers, which must not replay weeks of demo history as
 * news on the first start (and no notifications go to the demo reporters).
 */

const HOUR = 3600_000;
const DAY = 24 * HOUR;

type CategoryKey = 'jalan' | 'apill' | 'sampah' | 'drainase' | 'pju' | 'pohon' | 'parkir' | 'layanan' | 'aspirasi' | 'info';

/** Demo category names (seed.ts) by short key, with the unit that handles them. */
const CATEGORY_NAMES: Record<CategoryKey, string> = {
  jalan: 'Jalan rusak/berlubang',
  apill: 'Lampu lalu lintas mati',
  sampah: 'Sampah menumpuk',
  drainase: 'Drainase tersumbat/banjir',
  pju: 'Lampu jalan (PJU) padam',
  pohon: 'Pohon tumbang',
  parkir: 'Parkir liar',
  layanan: 'Pelayanan publik',
  aspirasi: 'Aspirasi pembangunan',
  info: 'Permintaan informasi',
};

/**
 * Where a report ends: S submitted, V verified, RJ rejected before / RJV after verification, D
 * disposed, DD re-disposed to another unit, P in progress, NI needs information (asked while in
 * progress) / NID (asked right after disposition), PI answered and back in progress, R resolved,
 * C closed and rated, C0 closed without a rating, RO reopened, W withdrawn by the reporter.
 */
type Plan = 'S' | 'V' | 'RJ' | 'RJV' | 'D' | 'DD' | 'P' | 'NI' | 'NID' | 'PI' | 'R' | 'C' | 'C0' | 'RO' | 'W';

interface Spec {
  cat: CategoryKey;
  kel: string;
  address: string;
  lat?: number;
  lng?: number;
  description: string;
  /** Days before the seed's "now" at which it was filed. */
  age: number;
  plan: Plan;
  /** Anonymous reporter (name, 08… phone), the demo citizen account ('hasnah'), or nobody. */
  reporter?: [string, string] | 'hasnah';
  attributes?: Record<string, string>;
  rating?: [number, string?];
  reason?: RejectionReason;
}

const SPECS: Spec[] = [
  // ---- Jalan rusak (DPU Bina Marga)
  { cat: 'jalan', kel: '73.71.09.1008', address: 'Jl. A.P. Pettarani depan Kantor Gubernur lama, jalur lambat arah utara', lat: -5.1532, lng: 119.4363, description: 'Ada lubang besar di jalur lambat Jl. A.P. Pettarani, diameter sekitar satu meter dan dalam. Kalau hujan tergenang dan tidak kelihatan, sudah dua pengendara motor jatuh minggu ini.', age: 19.4, plan: 'C', reporter: ['Muh. Arsyad Daeng Ngawing', '081342551907'], attributes: { jenis_kerusakan: 'lubang' }, rating: [5, 'Cepat sekali ditambal, terima kasih Dinas PU.'] },
  { cat: 'jalan', kel: '73.71.14.1001', address: 'Jl. Perintis Kemerdekaan Km. 10, depan pintu 1 Unhas', lat: -5.1327, lng: 119.4889, description: 'Aspal bergelombang dan retak-retak sepanjang kurang lebih 50 meter di depan pintu 1 Unhas. Mobil harus mengerem mendadak, sering bikin macet jam pulang kuliah.', age: 15.2, plan: 'R', reporter: ['Andi Nurfadillah', '085255671230'], attributes: { jenis_kerusakan: 'retak' } },
  { cat: 'jalan', kel: '73.71.13.1008', address: 'Lorong 3 Jl. Banta-Bantaeng, dekat masjid', lat: -5.1702, lng: 119.4321, description: 'Jalan lorong rusak parah, paving block terlepas dan berlubang di banyak titik. Anak-anak ke sekolah harus lewat sini, mohon diperbaiki sebelum musim hujan.', age: 12.6, plan: 'P', reporter: ['Sitti Rahmah', '081244019876'], attributes: { jenis_kerusakan: 'lubang' } },
  { cat: 'jalan', kel: '73.71.10.1008', address: 'Jl. Sultan Alauddin depan kampus UIN Alauddin', lat: -5.1866, lng: 119.4322, description: 'Jalan amblas di pinggir dekat saluran air, kira-kira dua meter. Sudah dipasang ban bekas oleh warga sebagai tanda, tapi malam hari tetap berbahaya.', age: 9.3, plan: 'NI', reporter: ['Zulkifli Rauf', '082191234408'], attributes: { jenis_kerusakan: 'amblas' } },
  { cat: 'jalan', kel: '73.71.12.1004', address: 'Jl. Antang Raya depan Pasar Antang', lat: -5.1639, lng: 119.4874, description: 'Banyak lubang di depan Pasar Antang, air menggenang dan becek. Angkot berhenti sembarangan menghindari lubang sehingga macet panjang tiap pagi.', age: 6.5, plan: 'D', reporter: ['Hj. Nurbaya', '085396662141'], attributes: { jenis_kerusakan: 'lubang' } },
  { cat: 'jalan', kel: '73.71.11.1005', address: 'Jl. Goa Ria, Sudiang, dekat SDN Sudiang', lat: -5.0873, lng: 119.5166, description: 'Jalan berlubang dan berbatu setelah galian pipa PDAM tidak ditutup sempurna. Debu sangat banyak kalau kemarau dan licin kalau hujan.', age: 2.1, plan: 'V', reporter: ['Ridwan Saputra', '081355443322'], attributes: { jenis_kerusakan: 'lubang' } },
  { cat: 'jalan', kel: '73.71.03.1005', address: 'Jl. Urip Sumoharjo dekat flyover, jalur arah Maros', lat: -5.1375, lng: 119.4419, description: 'Sambungan jalan di ujung flyover Urip Sumoharjo turun dan bergelombang, motor terasa melompat. Mohon dicek sebelum ada kecelakaan.', age: 0.4, plan: 'S', reporter: ['Ahmad Fauzi', '082346780012'], attributes: { jenis_kerusakan: 'retak' } },
  { cat: 'jalan', kel: '73.71.07.1006', address: 'Jembatan kayu penyeberangan ke Pulau Lakkang', lat: -5.1231, lng: 119.4618, description: 'Beberapa papan jembatan kayu di dermaga Lakkang sudah lapuk dan patah. Warga dan anak sekolah melintas setiap hari, sangat berbahaya.', age: 17.8, plan: 'RO', reporter: ['Daeng Sikki', '085299870453'], attributes: { jenis_kerusakan: 'jembatan' } },
  { cat: 'jalan', kel: '73.71.02.1010', address: 'Jl. Veteran Selatan dekat Pasar Pa\'baeng-Baeng', lat: -5.1745, lng: 119.4233, description: 'Ada lubang di tengah jalan dekat lampu merah Veteran Selatan. Kemarin malam mobil pick up patah pelek di sini.', age: 4.2, plan: 'DD', reporter: ['Irwan Hamid', '081241776650'], attributes: { jenis_kerusakan: 'lubang' } },
  { cat: 'jalan', kel: '73.71.10.1001', address: 'Jl. Poros Barombong dekat jembatan', lat: -5.2207, lng: 119.3989, description: 'Tes tes tes laporan coba aplikasi, abaikan saja ini dari HP anak saya.', age: 11.1, plan: 'RJ', reason: 'invalid', reporter: ['Syarifuddin', '085342117788'], attributes: { jenis_kerusakan: 'lubang' } },

  // ---- Lampu lalu lintas (Dishub, Bidang Lalu Lintas)
  { cat: 'apill', kel: '73.71.09.1002', address: 'Simpang Jl. Urip Sumoharjo – Jl. A.P. Pettarani (depan Mall Panakkukang arah)', lat: -5.1412, lng: 119.4371, description: 'Lampu lalu lintas di simpang empat mati total sejak pagi, kendaraan saling serobot dan macet sampai ke flyover. Tidak ada petugas yang mengatur.', age: 20.2, plan: 'C', reporter: ['Fadli Amir', '081245678001'], rating: [4, 'Sudah menyala lagi, tapi sempat mati seharian.'] },
  { cat: 'apill', kel: '73.71.13.1003', address: 'Simpang Jl. Hertasning – Jl. A.P. Pettarani', lat: -5.1636, lng: 119.4402, description: 'Lampu hijau untuk arah Hertasning tidak menyala, hanya merah dan kuning berkedip. Pengendara bingung dan hampir tabrakan.', age: 13.3, plan: 'C', reporter: 'hasnah', rating: [5] },
  { cat: 'apill', kel: '73.71.10.1003', address: 'Simpang Jl. Sultan Alauddin – Jl. Mallengkeri', lat: -5.1916, lng: 119.4319, description: 'Traffic light di simpang Mallengkeri padam setelah hujan deras tadi malam. Kendaraan dari arah Gowa melaju kencang tanpa berhenti.', age: 1.3, plan: 'P', reporter: ['Nur Alam Daeng Tayang', '082190008811'] },
  { cat: 'apill', kel: '73.71.14.1002', address: 'Simpang Jl. Perintis Kemerdekaan – Jl. Kapasa Raya (pintu tol)', lat: -5.1077, lng: 119.4997, description: 'Timer lampu lalu lintas tidak sinkron, lampu hijau hanya lima detik untuk arah Kapasa Raya sehingga antrean truk kontainer sangat panjang.', age: 7.4, plan: 'R', reporter: ['Budi Santoso', '081311002233'] },
  { cat: 'apill', kel: '73.71.04.1009', address: 'Simpang Jl. Sam Ratulangi – Jl. Landak', lat: -5.1578, lng: 119.4172, description: 'Lampu penyeberangan pejalan kaki di dekat sekolah mati, anak-anak SD menyeberang tanpa lampu. Mohon segera diperbaiki.', age: 3.4, plan: 'D', reporter: ['Sri Wahyuni', '085256123456'] },
  { cat: 'apill', kel: '73.71.05.1003', address: 'Simpang Jl. Sulawesi – Jl. Irian', lat: -5.1318, lng: 119.4121, description: 'Lampu merah di simpang Jl. Sulawesi menyala terus di semua arah sejak kemarin sore, kendaraan akhirnya menerobos.', age: 0.2, plan: 'S', reporter: ['Hendra Wijaya', '081399887766'] },
  { cat: 'apill', kel: '73.71.11.1002', address: 'Simpang Jl. Perintis Kemerdekaan – Jl. Daya (Terminal Daya)', lat: -5.1067, lng: 119.5172, description: 'Tiang lampu lalu lintas miring setelah ditabrak truk, lampu mengarah ke bawah dan tidak terlihat pengendara.', age: 5.5, plan: 'NID', reporter: ['Baharuddin Sila', '082347771234'] },

  // ---- Sampah (DLH Kebersihan; Kepulauan Sangkarrang oleh kecamatan)
  { cat: 'sampah', kel: '73.71.07.1005', address: 'Lorong 5 Jl. Rappokalling Raya, samping pos ronda', lat: -5.1185, lng: 119.4394, description: 'Sampah menumpuk di TPS lorong sudah seminggu tidak diangkut. Bau busuk dan banyak lalat, warga sekitar mulai sakit perut.', age: 18.6, plan: 'C', reporter: ['Hasriani', '085342009871'], rating: [3, 'Diangkut, tapi seminggu kemudian menumpuk lagi.'] },
  { cat: 'sampah', kel: '73.71.01.1006', address: 'Jl. Cendrawasih dekat Pasar Cidu (Pasar Cendrawasih)', lat: -5.1611, lng: 119.4134, description: 'Tumpukan sampah pasar meluber sampai ke badan jalan Cendrawasih, menghalangi kendaraan dan air lindinya mengalir ke got.', age: 10.5, plan: 'C', reporter: ['Ilham Jaya', '081241234987'], rating: [4] },
  { cat: 'sampah', kel: '73.71.09.1006', address: 'Jl. Abdullah Daeng Sirua, lahan kosong dekat kanal', lat: -5.1452, lng: 119.4581, description: 'Lahan kosong di pinggir kanal dijadikan tempat buang sampah liar oleh pengendara yang lewat malam hari. Sudah menggunung dan sering dibakar.', age: 8.2, plan: 'P', reporter: ['Rosmini Daeng Caya', '085255990011'] },
  { cat: 'sampah', kel: '73.71.15.1002', address: 'Dermaga Pulau Barrang Lompo, sisi timur', lat: -5.0475, lng: 119.3292, description: 'Sampah plastik menumpuk di sekitar dermaga dan terbawa ke laut. Perahu sampah kecamatan belum datang dua minggu.', age: 6.3, plan: 'D', reporter: ['Daeng Bali', '082188776655'] },
  { cat: 'sampah', kel: '73.71.12.1003', address: 'Jl. Tamangapa Raya dekat TPA Antang', lat: -5.1823, lng: 119.4931, description: 'Truk sampah menuju TPA sering menjatuhkan muatan di jalan dan tidak dibersihkan. Jalan licin dan bau sepanjang Tamangapa Raya.', age: 1.7, plan: 'V', reporter: ['Amiruddin', '081355661177'] },
  { cat: 'sampah', kel: '73.71.04.1008', address: 'Anjungan Pantai Losari, Jl. Penghibur', lat: -5.1436, lng: 119.4069, description: 'Setelah acara hari Minggu sampah berserakan di anjungan Pantai Losari dan tempat sampah penuh. Mohon ditambah petugas kebersihan akhir pekan.', age: 0.6, plan: 'S', reporter: ['Meylani Tandi', '081244556677'] },
  { cat: 'sampah', kel: '73.71.13.1006', address: 'Lorong 2 Jl. Rappocini Raya', lat: -5.1628, lng: 119.4368, description: 'Sampah di bak kontainer lorong sudah penuh sejak hari Kamis, mohon jadwal pengangkutan diperjelas.', age: 14.2, plan: 'RJV', reason: 'duplicate', reporter: ['Nasrullah', '085211223344'] },
  { cat: 'sampah', kel: '73.71.08.1006', address: 'Jl. Sabutung Baru, pesisir Ujung Tanah', lat: -5.1102, lng: 119.4165, description: 'Sampah rumah tangga dibuang warga ke pinggir laut karena tidak ada TPS terdekat. Mohon disediakan kontainer sampah.', age: 16.4, plan: 'R', reporter: 'hasnah' },
  { cat: 'sampah', kel: '73.71.15.1003', address: 'Pulau Kodingareng Lompo, dekat sekolah', lat: -5.1436, lng: 119.2881, description: 'Sampah menumpuk di belakang sekolah dan mulai dibakar warga, asapnya masuk ke kelas. Mohon ada pengangkutan rutin ke daratan.', age: 2.9, plan: 'P', reporter: ['Jumriah', '082291234567'] },

  // ---- Drainase (DPU Sumber Daya Air dan Drainase)
  { cat: 'drainase', kel: '73.71.09.1001', address: 'Jl. Racing Centre, saluran depan ruko', lat: -5.1447, lng: 119.4455, description: 'Saluran drainase tersumbat lumpur dan sampah, setiap hujan deras air meluap ke jalan sampai selutut dan masuk ke ruko.', age: 20.6, plan: 'C', reporter: ['Andi Muh. Yusuf', '081343322110'], rating: [4, 'Sudah dikeruk, semoga rutin.'] },
  { cat: 'drainase', kel: '73.71.14.1003', address: 'BTP Blok M, Jl. Tamalanrea Raya', lat: -5.1268, lng: 119.5002, description: 'Banjir setinggi 50 cm di kompleks BTP blok M setiap hujan lebih dari satu jam. Gorong-gorong di ujung jalan tertutup bangunan.', age: 11.7, plan: 'PI', reporter: ['Wahyudi Hasan', '085242008899'] },
  { cat: 'drainase', kel: '73.71.11.1001', address: 'Perumnas Sudiang, Jl. Paccerakkang', lat: -5.0962, lng: 119.5271, description: 'Got besar di Jl. Paccerakkang dangkal karena sedimentasi. Air dari perumahan tidak mengalir dan menjadi sarang nyamuk.', age: 7.9, plan: 'P', reporter: ['Syamsuddin Daeng Rani', '082345678123'] },
  { cat: 'drainase', kel: '73.71.13.1004', address: 'Jl. Toddopuli Raya dekat SMP 35', lat: -5.1574, lng: 119.4598, description: 'Penutup saluran (plat beton) pecah dan berlubang di trotoar depan sekolah. Anak-anak bisa terperosok ke got.', age: 5.1, plan: 'D', reporter: ['Nurhidayah', '081356789012'] },
  { cat: 'drainase', kel: '73.71.06.1004', address: 'Jl. Gunung Bawakaraeng, saluran sekunder', lat: -5.1379, lng: 119.4233, description: 'Air got hitam pekat dan berbau, saluran tidak mengalir karena penuh sampah plastik dan enceng gondok.', age: 3.1, plan: 'V', reporter: ['Haerul Anwar', '085299001122'] },
  { cat: 'drainase', kel: '73.71.10.1005', address: 'Kanal Jongaya, Jl. Dg. Tata Raya', lat: -5.1927, lng: 119.4196, description: 'Pintu air kanal Jongaya macet tidak bisa dibuka, kalau pasang naik air kanal masuk ke rumah warga.', age: 0.9, plan: 'S', reporter: ['Muliati', '082344556600'] },
  { cat: 'drainase', kel: '73.71.12.1005', address: 'Jl. Batua Raya lorong 7', lat: -5.1513, lng: 119.4681, description: 'Saluran di lorong 7 Batua Raya ditutup permanen oleh pemilik rumah untuk parkir motor sehingga air meluap ke jalan.', age: 9.6, plan: 'NI', reporter: 'hasnah' },

  // ---- PJU (Dishub)
  { cat: 'pju', kel: '73.71.10.1010', address: 'Jl. Metro Tanjung Bunga, dekat jembatan Barombong', lat: -5.1747, lng: 119.3964, description: 'Lampu jalan sepanjang kurang lebih 300 meter padam semua. Jalan sepi dan gelap, sudah ada kejadian begal minggu lalu.', age: 19.9, plan: 'C', reporter: ['Kartini Lapa', '081242221133'], rating: [2, 'Baru menyala setelah dua minggu, terlalu lama.'] },
  { cat: 'pju', kel: '73.71.12.1006', address: 'Jl. Borong Raya', lat: -5.1553, lng: 119.4776, description: 'Tiga tiang PJU di Jl. Borong Raya lampunya mati dan satu tiang kabelnya terjuntai ke bawah, berbahaya kena pejalan kaki.', age: 8.8, plan: 'DD', reporter: ['Rusdi Tahir', '085240098765'] },
  { cat: 'pju', kel: '73.71.09.1003', address: 'Jl. Boulevard Panakkukang dekat kanal', lat: -5.1587, lng: 119.4476, description: 'Lampu jalan berkedip-kedip terus tiap malam lalu padam sekitar jam 11. Mohon diganti lampunya.', age: 4.6, plan: 'R', reporter: ['Yusran', '082187650043'] },
  { cat: 'pju', kel: '73.71.01.1002', address: 'Jl. Rajawali lorong 1, Mattoangin', lat: -5.1495, lng: 119.4082, description: 'Lampu jalan lorong mati sudah sebulan, ibu-ibu pulang pengajian malam takut lewat.', age: 2.4, plan: 'P', reporter: ['St. Aminah', '085255112299'] },
  { cat: 'pju', kel: '73.71.11.1006', address: 'Jl. Poros Sudiang Raya dekat Bandara', lat: -5.0803, lng: 119.5199, description: 'Lampu PJU di median jalan padam berderet, jalan ke bandara gelap sekali untuk pengendara motor.', age: 1.1, plan: 'S', reporter: ['Asrul Sani', '081377788899'] },

  // ---- Pohon tumbang (DLH)
  { cat: 'pohon', kel: '73.71.04.1005', address: 'Jl. Jend. Sudirman depan Monumen Mandala', lat: -5.1469, lng: 119.4178, description: 'Pohon angsana besar tumbang menutup separuh jalan setelah angin kencang, dahan menimpa kabel listrik.', age: 16.1, plan: 'C', reporter: ['Darmawan', '082344009988'], rating: [5, 'Petugas datang dalam satu jam, luar biasa.'] },
  { cat: 'pohon', kel: '73.71.02.1009', address: 'Jl. Landak Baru', lat: -5.1661, lng: 119.4253, description: 'Dahan pohon mahoni retak dan menggantung di atas jalan, bisa jatuh kapan saja menimpa pengendara.', age: 3.9, plan: 'R', reporter: ['Ratna Sari', '085211990077'] },
  { cat: 'pohon', kel: '73.71.14.1006', address: 'Jl. Perintis Kemerdekaan dekat kampus PNUP', lat: -5.1298, lng: 119.4927, description: 'Pohon tumbang di trotoar dan akarnya mengangkat paving, pejalan kaki terpaksa turun ke jalan raya.', age: 0.3, plan: 'V', reporter: ['Nasaruddin', '081245009911'] },
  { cat: 'pohon', kel: '73.71.13.1009', address: 'Jl. Hertasning Baru dekat Samata', lat: -5.1716, lng: 119.4713, description: 'Ranting pohon besar menutupi lampu jalan dan rambu, mohon dipangkas karena berbahaya saat hujan angin.', age: 5.8, plan: 'D', reporter: ['Mardiana', '082199887700'] },

  // ---- Parkir liar (Dishub)
  { cat: 'parkir', kel: '73.71.04.1001', address: 'Jl. Somba Opu, depan toko emas', lat: -5.1405, lng: 119.4093, description: 'Mobil parkir dua lapis di Jl. Somba Opu setiap sore, jalan tinggal satu lajur dan macet total. Juru parkir liar menarik tarif tinggi.', age: 14.9, plan: 'C0', reporter: ['Anita Kusuma', '081344112255'] },
  { cat: 'parkir', kel: '73.71.09.1007', address: 'Jl. Pengayoman depan ruko kuliner', lat: -5.1567, lng: 119.4493, description: 'Kendaraan pengunjung rumah makan parkir di trotoar dan badan jalan sampai malam, pejalan kaki tidak bisa lewat.', age: 6.9, plan: 'NID', reporter: ['Reza Pahlevi', '085254443322'] },
  { cat: 'parkir', kel: '73.71.05.1002', address: 'Jl. Nusantara dekat pelabuhan Soekarno-Hatta', lat: -5.1229, lng: 119.4101, description: 'Truk kontainer parkir berjejer di bahu Jl. Nusantara menunggu bongkar muat, menyempitkan jalan dan menutupi rambu.', age: 2.6, plan: 'D', reporter: ['Hamzah', '082347009900'] },
  { cat: 'parkir', kel: '73.71.13.1001', address: 'Jl. Sultan Alauddin depan minimarket', lat: -5.1808, lng: 119.4326, description: 'Jukir liar di depan minimarket memaksa minta uang parkir padahal ada tulisan parkir gratis.', age: 9.9, plan: 'RJ', reason: 'spam', reporter: ['Ucok', '081100001111'] },
  { cat: 'parkir', kel: '73.71.03.1002', address: 'Jl. Veteran Utara depan pasar', lat: -5.1445, lng: 119.4254, description: 'Angkot ngetem dan becak motor parkir di tikungan depan pasar, kendaraan dari arah Jl. Gunung Bawakaraeng tidak bisa belok.', age: 0.7, plan: 'W', reporter: ['Sukardi', '085242557788'] },

  // ---- Pelayanan publik (Diskominfo, War Room)
  { cat: 'layanan', kel: '73.71.12.1001', address: 'Kantor Kelurahan Manggala', lat: -5.1717, lng: 119.4871, description: 'Pelayanan surat keterangan domisili di kantor kelurahan tutup jam 11 padahal jadwal sampai jam 3 sore. Sudah tiga kali datang tidak dilayani.', age: 12.2, plan: 'C', reporter: ['Hj. Sitti Maryam', '081241110022'], rating: [4] },
  { cat: 'layanan', kel: '73.71.11.1009', address: 'Puskesmas Berua, Jl. Poros Sudiang', lat: -5.0933, lng: 119.5098, description: 'Antrean di Puskesmas sangat panjang dan nomor antrean online tidak berfungsi, pasien lansia menunggu sampai empat jam.', age: 7.1, plan: 'P', reporter: ['Suharti Daeng Kanang', '085256780099'] },
  { cat: 'layanan', kel: '73.71.09.1010', address: 'Kantor Kecamatan Panakkukang', lat: -5.1419, lng: 119.4462, description: 'Petugas meminta biaya tambahan untuk percepatan pengurusan surat pengantar, padahal layanan ini gratis.', age: 4.8, plan: 'NI', reporter: ['Anonim warga Panakkukang', '082299001133'] },
  { cat: 'layanan', kel: '73.71.01.1004', address: 'Jl. Kakatua', lat: -5.1624, lng: 119.4143, description: 'Air PDAM tidak mengalir tiga hari di Jl. Kakatua dan sekitarnya, tidak ada pemberitahuan sebelumnya.', age: 1.9, plan: 'V', reporter: ['Fitriani', '081350098877'] },
  { cat: 'layanan', kel: '73.71.06.1010', address: 'Jl. Tinumbu lorong 149', lat: -5.1193, lng: 119.4282, description: 'Bantuan sembako untuk lansia di RT 03 belum dibagikan padahal RT lain sudah menerima. Mohon penjelasan.', age: 15.6, plan: 'R', reporter: 'hasnah' },

  // ---- Aspirasi pembangunan (War Room)
  { cat: 'aspirasi', kel: '73.71.14.1007', address: 'Kelurahan Buntusu, Jl. Kapasa Raya', lat: -5.1019, lng: 119.4892, description: 'Mohon dibangun jembatan penyeberangan orang di depan SD Inpres Kapasa karena anak-anak menyeberang jalan yang dilewati truk kontainer.', age: 18.1, plan: 'C', reporter: ['Komite SD Inpres Kapasa', '081355002244'], rating: [3, 'Dijawab masuk usulan Musrenbang tahun depan.'] },
  { cat: 'aspirasi', kel: '73.71.03.1001', address: 'Lapangan Karebosi sekitar', lat: -5.1389, lng: 119.4138, description: 'Usul agar trotoar di sekitar Karebosi dilengkapi jalur pemandu tunanetra dan ram untuk kursi roda.', age: 10.2, plan: 'D', reporter: ['Andi Mutmainnah', '085299443311'] },
  { cat: 'aspirasi', kel: '73.71.07.1011', address: 'Pesisir Buloa', lat: -5.1033, lng: 119.4289, description: 'Warga pesisir Buloa mengusulkan tanggul penahan ombak karena abrasi sudah mendekati rumah dan musala.', age: 3.3, plan: 'S', reporter: ['Daeng Ngalle', '082190901212'] },
  { cat: 'aspirasi', kel: '73.71.10.1006', address: 'Perumahan Griya Balang Baru', lat: -5.1889, lng: 119.4102, description: 'Mohon ditambah trayek Pete-Pete Smart ke perumahan kami, warga harus jalan kaki 2 km ke jalan poros.', age: 8.7, plan: 'RJV', reason: 'duplicate', reporter: ['Irfan Maulana', '081346003300'] },

  // ---- Permintaan informasi (Diskominfo)
  { cat: 'info', kel: '73.71.13.1010', address: 'Jl. Gunung Sari', lat: -5.1747, lng: 119.4421, description: 'Saya ingin tahu jadwal pengerjaan pelebaran jalan di Jl. Gunung Sari dan apakah rumah kami kena pembebasan lahan.', age: 13.8, plan: 'C0', reporter: ['Abdul Rahman', '085243332211'] },
  { cat: 'info', kel: '73.71.02.1004', address: 'Mamajang Dalam', description: 'Mohon informasi syarat dan jadwal pembuatan KTP elektronik untuk anak yang baru berumur 17 tahun di Kecamatan Mamajang.', age: 5.4, plan: 'R', reporter: ['Nur Afni', '082188001234'] },
  { cat: 'info', kel: '73.71.08.1002', address: 'Tabaringan', description: 'Apakah ada program bedah rumah tahun ini untuk warga pesisir Tabaringan? Ke mana harus mendaftar?', age: 1.4, plan: 'D', reporter: ['Mustari', '081344120099'] },
  { cat: 'info', kel: '73.71.12.1007', address: 'Biring Romang', description: 'Kapan jadwal fogging demam berdarah di Kelurahan Biring Romang? Sudah ada dua anak tetangga yang dirawat.', age: 0.15, plan: 'S', reporter: 'hasnah' },

  // ---- More traffic-lights and roads, so the demo handler (Bidang Lalu Lintas) has a full inbox
  { cat: 'apill', kel: '73.71.03.1011', address: 'Simpang Jl. Veteran – Jl. Kumala', lat: -5.1606, lng: 119.4257, description: 'Countdown timer lampu lalu lintas mati dan lampu kuning berkedip terus sejak pagi, simpang macet dari arah Kumala.', age: 10.8, plan: 'C', reporter: ['Arifin Nur', '085255667788'], rating: [5, 'Mantap, sudah normal.'] },
  { cat: 'apill', kel: '73.71.09.1011', address: 'Simpang Jl. Andi Pangeran Pettarani – Jl. Boulevard', lat: -5.1568, lng: 119.4384, description: 'Lampu lalu lintas arah Boulevard hanya menyala merah, tidak pernah hijau sehingga pengendara menerobos.', age: 11.9, plan: 'RO', reporter: ['Rahmat Hidayat', '082391112233'] },
  { cat: 'jalan', kel: '73.71.06.1011', address: 'Jl. Masjid Raya depan Masjid Raya Makassar', lat: -5.1243, lng: 119.4235, description: 'Jalan retak memanjang dan bergelombang di depan Masjid Raya, jemaah yang menyeberang sering tersandung.', age: 5.6, plan: 'P', reporter: ['H. Muhammad Tahir', '081355007744'], attributes: { jenis_kerusakan: 'retak' } },
  { cat: 'drainase', kel: '73.71.05.1005', address: 'Jl. Sulawesi lorong Ende', lat: -5.1282, lng: 119.4129, description: 'Air got meluap ke rumah warga saat air laut pasang, saluran pembuang ke laut tertutup sampah.', age: 13.4, plan: 'RJ', reason: 'duplicate', reporter: ['Liem Siu Lan', '085240001122'] },
];

/** What the desk and the units write at each step, by category. */
const START_NOTES: Record<CategoryKey, string> = {
  jalan: 'Tim pemeliharaan jalan dijadwalkan turun ke lokasi.',
  apill: 'Teknisi APILL dikirim ke lokasi untuk pengecekan controller.',
  sampah: 'Armada pengangkut dijadwalkan pada ritase berikutnya.',
  drainase: 'Tim pengerukan saluran dijadwalkan minggu ini.',
  pju: 'Teknisi PJU dijadwalkan pengecekan malam hari.',
  pohon: 'Tim pemangkasan dan evakuasi pohon menuju lokasi.',
  parkir: 'Petugas penertiban parkir dijadwalkan patroli ke lokasi.',
  layanan: 'Laporan diteruskan ke pimpinan unit layanan terkait untuk klarifikasi.',
  aspirasi: 'Usulan dicatat untuk dibahas bersama OPD teknis.',
  info: 'Permintaan informasi sedang disiapkan jawabannya.',
};

const ANSWERS: Record<CategoryKey, string> = {
  jalan: 'Lubang dan kerusakan sudah ditambal dengan aspal hotmix oleh tim pemeliharaan jalan. Terima kasih atas laporannya.',
  apill: 'Controller lampu lalu lintas sudah diganti dan lampu kembali menyala normal. Durasi fase juga sudah disesuaikan.',
  sampah: 'Tumpukan sampah sudah diangkut seluruhnya dan lokasi dibersihkan. Jadwal angkut rutin ditambah menjadi dua kali seminggu.',
  drainase: 'Saluran sudah dikeruk dan sampah penyumbat diangkat; air kembali mengalir lancar.',
  pju: 'Lampu PJU yang padam sudah diganti dengan lampu LED baru dan kabel yang terjuntai sudah dirapikan.',
  pohon: 'Pohon dan dahan yang membahayakan sudah dipotong dan dievakuasi dari badan jalan.',
  parkir: 'Petugas sudah menertibkan kendaraan yang parkir di bahu jalan dan memasang rambu larangan parkir.',
  layanan: 'Petugas terkait sudah dipanggil dan diberi pembinaan; jam layanan kembali sesuai jadwal yang diumumkan.',
  aspirasi: 'Usulan Bapak/Ibu sudah dimasukkan ke daftar usulan Musrenbang kecamatan untuk tahun anggaran berikutnya.',
  info: 'Informasi yang diminta: silakan datang ke kantor kecamatan pada hari kerja pukul 08.00–15.00 dengan membawa KK dan fotokopi akta kelahiran.',
};

const QUESTIONS = [
  'Mohon kirimkan foto lokasi yang lebih jelas dan patokan terdekat (nomor rumah atau nama toko).',
  'Bisa disebutkan jam berapa kejadian ini biasanya terjadi dan sejak kapan?',
  'Mohon informasi nama petugas atau waktu kejadian agar kami dapat menindaklanjuti.',
];
const INFO_ANSWERS = ['Patokannya di depan toko bangunan Sinar Jaya, sebelah kanan dari arah utara.', 'Biasanya terjadi setiap sore sekitar jam 4 sampai magrib, sudah dua minggu.'];
const REOPEN_REASONS = ['Lampu kembali mati dua hari setelah diperbaiki, mohon dicek lagi.', 'Perbaikan hanya sebagian, papan yang patah di ujung dermaga belum diganti.'];

/** Hours after the previous step at which each action is taken (scaled down for young reports). */
const STEP_HOURS: Record<ComplaintAction, number> = {
  verify: 2.5,
  reject: 3,
  dispose: 1.5,
  start: 20,
  request_info: 26,
  provide_info: 30,
  resolve: 70,
  close: 30,
  reopen: 40,
  withdraw: 3,
};

function actionsOf(plan: Plan): ComplaintAction[] {
  const handled: ComplaintAction[] = ['verify', 'dispose'];
  switch (plan) {
    case 'S':
      return [];
    case 'V':
      return ['verify'];
    case 'RJ':
      return ['reject'];
    case 'RJV':
      return ['verify', 'reject'];
    case 'W':
      return ['withdraw'];
    case 'D':
      return handled;
    case 'DD':
      return [...handled, 'dispose'];
    case 'P':
      return [...handled, 'start'];
    case 'NI':
      return [...handled, 'start', 'request_info'];
    case 'NID':
      return [...handled, 'request_info'];
    case 'PI':
      return [...handled, 'start', 'request_info', 'provide_info'];
    case 'R':
      return [...handled, 'start', 'resolve'];
    case 'C':
    case 'C0':
      return [...handled, 'start', 'resolve', 'close'];
    case 'RO':
      return [...handled, 'start', 'resolve', 'reopen'];
  }
}

interface Person {
  id: string;
  name: string;
}

export interface DemoReportsInput {
  tenantId: string;
  /** Unit ids by unit code (and area units by region code). */
  unitIds: Map<string, string>;
  /** Category ids by category name. */
  categoryIds: Map<string, string>;
  /** The seeded categories: default unit (by code) and deadlines. */
  categories: { name: string; unitCode: string; deadlineHours: DeadlineHours }[];
  now: Date;
}

/** Re-disposition targets: a report first sent to the agency is passed on to the right bidang. */
const REDISPOSE: Record<string, string> = { DISHUB: 'DISHUB-LL', 'DPU-BM': 'DPU-BM-JLN', 'DISHUB-LL': 'DISHUB-LL-APILL' };

/**
 * Seeds the demo reports of Makassar inside the seed's transaction. Returns how many were written.
 */
export async function seedDemoReports(tx: Tx, input: DemoReportsInput): Promise<number> {
  const { tenantId, now } = input;
  const people = await rowsOf<{ id: string; name: string; email: string }>(
    tx,
    sql`SELECT id::text AS id, name, email FROM users WHERE tenant_id = ${tenantId} AND email IN ('pengaduan@makassarkota.go.id', 'staf.lalulintas@makassarkota.go.id', 'admin@makassarkota.go.id', 'hasnah@example.com')`,
  );
  const person = (email: string): Person => {
    const p = people.find((r) => r.email === email);
    if (!p) throw new Error(`demo reports need the account ${email}`);
    return { id: p.id, name: p.name };
  };
  const desk = person('pengaduan@makassarkota.go.id');
  const trafficHandler = person('staf.lalulintas@makassarkota.go.id');
  // Units without a demo handler account are worked by the city administrator (complaints.handle tenant-wide).
  const admin = person('admin@makassarkota.go.id');
  const hasnah = person('hasnah@example.com');
  const cal = await loadCalendar(tx, { id: tenantId });
  // Rows are collected and written in a few multi-row statements (a fresh start must stay fast);
  // audit events get the columns writeAudit gives them.
  const reportRows: (typeof complaints.$inferInsert)[] = [];
  const timelineRows: (typeof complaintEvents.$inferInsert)[] = [];
  const auditRows: (typeof auditEvents.$inferInsert)[] = [];
  /** Resolutions, applied after the insert as the resolve command does (an UPDATE from the due time then running). */
  const resolutions: { id: string; resolvedAt: Date; dueBefore: Date | null; dueAfter: Date | null }[] = [];
  const audit = (actor: Actor, at: Date, entry: AuditInput) =>
    auditRows.push({
      tenantId,
      id: uuidv7({ msecs: at.getTime() }),
      occurredAt: at,
      actorId: actor.id ?? null,
      actorKind: actor.kind,
      actorName: actor.name ?? null,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId ?? null,
      unitId: entry.unitId ?? null,
      data: entry.data ?? {},
      ip: null,
      requestId: null,
    });

  for (const [index, spec] of SPECS.entries()) {
    const categoryName = CATEGORY_NAMES[spec.cat];
    const categoryId = input.categoryIds.get(categoryName);
    const category = input.categories.find((c) => c.name === categoryName);
    if (!categoryId || !category) continue;
    const hours = category.deadlineHours;
    // Routing as routeComplaint does: the islands' rubbish goes to the kecamatan.
    const kecamatan = spec.kel.split('.').slice(0, 3).join('.');
    const routedCode = spec.cat === 'sampah' && kecamatan === '73.71.15' ? kecamatan : category.unitCode;
    let unitId = input.unitIds.get(routedCode)!;
    const id = uuidv7({ msecs: now.getTime() - spec.age * DAY });
    const trackingCode = newTrackingCode();
    const signedIn = spec.reporter === 'hasnah';
    const anon = Array.isArray(spec.reporter) ? spec.reporter : null;
    const submittedAt = new Date(now.getTime() - spec.age * DAY);
    const actions = actionsOf(spec.plan);
    // Spread the steps after submission; a young report gets its steps closer together.
    const total = actions.reduce((s, a) => s + STEP_HOURS[a], 0);
    const room = spec.age * 24 - 0.25;
    const scale = total > room ? room / total : 1;

    let status: ComplaintStatus = 'submitted';
    let at = submittedAt;
    let state = nextDeadline(cal, hours, null, 'submitted', submittedAt, { dueAt: null, pausedHours: null });
    const row: typeof complaints.$inferInsert = {
      tenantId,
      id,
      trackingCode,
      categoryId,
      kind: spec.cat === 'aspirasi' ? 'aspirasi' : spec.cat === 'info' ? 'informasi' : 'pengaduan',
      status,
      description: spec.description,
      lat: spec.lat ?? null,
      lng: spec.lng ?? null,
      kecamatanCode: kecamatan,
      kelurahanCode: spec.kel,
      address: spec.address,
      attributes: spec.attributes ?? {},
      unitId,
      reporterUserId: signedIn ? hasnah.id : null,
      reporterName: anon?.[0] ?? null,
      reporterPhone: anon ? normalizePhone(anon[1]) : null,
      reporterEmail: null,
      // The private link's key of a demo report is never shown: nobody holds it.
      accessTokenHash: signedIn ? null : hashAccessToken(randomBytes(32).toString('base64url')),
      submittedAt,
      dueAt: state.dueAt,
      updatedAt: submittedAt,
    };
    const timeline: (typeof complaintEvents.$inferInsert)[] = [
      { tenantId, id: uuidv7({ msecs: submittedAt.getTime() }), complaintId: id, action: 'submit', fromStatus: null, toStatus: 'submitted', unitId, actorUserId: signedIn ? hasnah.id : null, actorKind: 'reporter', at: submittedAt },
    ];
    const reporterActor: Actor = signedIn ? { kind: 'user', id: hasnah.id, name: hasnah.name, userKind: 'citizen', grants: [] } : { kind: 'anonymous', grants: [] };
    const facts = { trackingCode, categoryId, status: 'submitted', unitId, kecamatanCode: kecamatan, photos: 0, anonymous: !signedIn };
    audit(reporterActor, submittedAt, { action: 'complaint.submitted', entityType: 'complaint', entityId: id, unitId, data: facts });

    for (const [step, action] of actions.entries()) {
      at = new Date(at.getTime() + STEP_HOURS[action] * scale * HOUR + ((index * 7 + step * 13) % 50) * 60_000 * scale);
      if (at > now) at = new Date(now.getTime() - 60_000);
      const role: WorkflowActor = action === 'verify' || action === 'reject' || action === 'dispose' ? 'triage' : action === 'provide_info' || action === 'close' || action === 'reopen' || action === 'withdraw' ? 'reporter' : 'handler';
      const moved = transition(status, action, role);
      if (!moved.ok) throw new Error(`demo report ${index}: ${action} from ${status} is not a move of the workflow`);
      let to = moved.to;
      if (action === 'provide_info') to = row.resumeStatus ?? to;
      let publicNote: string | null = null;
      let internalNote: string | null = null;
      const set: Partial<typeof complaints.$inferInsert> = {};
      const extra: Record<string, unknown> = {};
      if (action === 'verify') internalNote = index % 3 === 0 ? 'Lokasi dan uraian sesuai; laporan valid.' : null;
      if (action === 'reject') {
        set.rejectionReason = spec.reason ?? 'invalid';
        extra.reason = set.rejectionReason;
        internalNote = spec.reason === 'duplicate' ? 'Sudah ada laporan yang sama untuk lokasi ini.' : spec.reason === 'spam' ? 'Isi laporan tidak sesuai kategori dan berulang.' : 'Laporan uji coba, bukan pengaduan.';
      }
      if (action === 'dispose') {
        const code = status === 'disposed' ? (REDISPOSE[routedCode] ?? routedCode) : routedCode;
        unitId = input.unitIds.get(code) ?? unitId;
        set.unitId = unitId;
        extra.unitId = unitId;
        internalNote = status === 'disposed' ? 'Didisposisikan ulang ke bidang teknis yang menangani lokasi ini.' : 'Mohon segera ditindaklanjuti sesuai SOP.';
      }
      if (action === 'start') internalNote = START_NOTES[spec.cat];
      if (action === 'request_info') publicNote = QUESTIONS[index % QUESTIONS.length];
      if (action === 'provide_info') publicNote = INFO_ANSWERS[index % INFO_ANSWERS.length];
      if (action === 'resolve') {
        publicNote = ANSWERS[spec.cat];
        extra.proofPhotos = 0;
      }
      if (action === 'reopen') publicNote = REOPEN_REASONS[index % REOPEN_REASONS.length];
      if (action === 'withdraw') publicNote = 'Sudah ditertibkan sendiri oleh warga setempat, laporan saya cabut.';

      const handler = unitId === input.unitIds.get('DISHUB-LL') ? trafficHandler : admin;
      const who: Actor =
        role === 'triage'
          ? { kind: 'user', id: desk.id, name: desk.name, userKind: 'staff', grants: [] }
          : role === 'handler'
            ? { kind: 'user', id: handler.id, name: handler.name, userKind: 'staff', grants: [] }
            : reporterActor;
      const dueBefore = (row.dueAt as Date | null | undefined) ?? null;
      state = nextDeadline(cal, hours, status, to, at, state);
      if (action === 'resolve') resolutions.push({ id, resolvedAt: at, dueBefore, dueAfter: null });
      Object.assign(row, set, { status: to, updatedAt: at, dueAt: state.dueAt, pausedHours: state.pausedHours });
      if (to === 'verified') row.verifiedAt = at;
      if (to === 'disposed') row.disposedAt = at;
      if (to === 'resolved') row.resolvedAt = at;
      if (to === 'closed') row.closedAt = at;
      if (to === 'needs_info') row.resumeStatus = status === 'disposed' ? 'disposed' : 'in_progress';
      if (status === 'needs_info') row.resumeStatus = null;
      timeline.push({ tenantId, id: uuidv7({ msecs: at.getTime() }), complaintId: id, action, fromStatus: status, toStatus: to, note: publicNote, internal: false, unitId, actorUserId: who.id ?? null, actorKind: role, at });
      if (internalNote) {
        timeline.push({ tenantId, id: uuidv7({ msecs: at.getTime() }), complaintId: id, action: 'note', note: internalNote, internal: true, unitId, actorUserId: who.id ?? null, actorKind: role, at });
      }
      const data = { trackingCode, from: status, to, dueAt: state.dueAt?.toISOString() ?? null, ...extra };
      audit(who, at, { action: `complaint.${action}`, entityType: 'complaint', entityId: id, unitId, data });
      status = to;
    }

    let rated: { at: Date; score: number; comment: string | null } | null = null;
    if (status === 'closed' && spec.plan === 'C') {
      const ratedAt = new Date(Math.min(now.getTime() - 30_000, at.getTime() + 20 * 60_000));
      rated = { at: ratedAt, score: spec.rating?.[0] ?? 4, comment: spec.rating?.[1] ?? null };
      Object.assign(row, { rating: rated.score, ratingComment: rated.comment, ratedAt, updatedAt: ratedAt });
    }
    const resolution = resolutions.find((r) => r.id === id);
    if (resolution) {
      // Inserted as it stood just before the resolution; the UPDATE below resolves it.
      resolution.dueAfter = (row.dueAt as Date | null | undefined) ?? null;
      Object.assign(row, { resolvedAt: null, dueAt: resolution.dueBefore });
    }
    reportRows.push(row);
    timelineRows.push(...timeline);
    if (rated) {
      const data = { trackingCode, score: rated.score, comment: Boolean(rated.comment) };
      audit(reporterActor, rated.at, { action: 'complaint.rated', entityType: 'complaint', entityId: id, unitId, data });
    }
  }
  if (reportRows.length === 0) return 0;
  await tx.insert(complaints).values(reportRows);
  await tx.insert(complaintEvents).values(timelineRows);
  if (resolutions.length) {
    const values = sql.join(
      resolutions.map((r) => sql`(${r.id}::uuid, ${r.resolvedAt.toISOString()}::timestamptz, ${r.dueAfter?.toISOString() ?? null}::timestamptz)`),
      sql`, `,
    );
    await tx.execute(sql`UPDATE complaints c SET resolved_at = v.resolved_at, due_at = v.due_at FROM (VALUES ${values}) AS v (id, resolved_at, due_at) WHERE c.tenant_id = ${tenantId} AND c.id = v.id`);
  }
  // In the order things happened, as the sealer would have seen them.
  auditRows.sort((a, b) => +a.occurredAt! - +b.occurredAt!);
  await tx.insert(auditEvents).values(auditRows);
  return reportRows.length;
}

/** How many demo reports the seed writes (tests count on it). */
export const DEMO_REPORT_COUNT = SPECS.length;
