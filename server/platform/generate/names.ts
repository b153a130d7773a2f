/**
 * Word lists for generated people, drawn from names common in Makassar and South Sulawesi (Bugis,
 * Makassar, Mandar and Toraja families beside names found all over Indonesia). Generated rows pick
 * from them on the database server, so the lists travel once per batch as array parameters.
 */

/** Given names of men. */
export const MALE_GIVEN = [
  'Muhammad', 'Ahmad', 'Abdul', 'Amran', 'Rahmat', 'Syamsul', 'Ikhsan', 'Arif', 'Irwan', 'Hasanuddin',
  'Jusuf', 'Amiruddin', 'Baharuddin', 'Syahrul', 'Fadli', 'Rizal', 'Akbar', 'Fajar', 'Ilham', 'Aswar',
  'Asri', 'Hamzah', 'Burhanuddin', 'Sultan', 'Sudirman', 'Darwis', 'Nasrullah', 'Ridwan', 'Yusran', 'Haris',
  'Anwar', 'Kamaruddin', 'Saharuddin', 'Zainal', 'Alimuddin', 'Muhlis', 'Basri', 'Rusdi', 'Syarifuddin', 'Taufik',
  'Wahyu', 'Zulkifli', 'Agus', 'Budi', 'Hendra', 'Iwan', 'Mansyur', 'Nurdin', 'Rustam', 'Sahabuddin',
  'Asdar', 'Aco', 'Bahar', 'Ambo', 'Lukman', 'Munir', 'Syukur', 'Yunus', 'Idris', 'Ismail',
  'Firman', 'Herman', 'Ardiansyah', 'Arman', 'Darmawan', 'Fahri', 'Gunawan', 'Hairul', 'Jamaluddin', 'Kaharuddin',
  'Mappiare', 'Nasir', 'Rahmatullah', 'Salim', 'Tamrin', 'Usman', 'Wahab', 'Yasin', 'Zainuddin', 'Akhmad',
];

/** Given names of women. */
export const FEMALE_GIVEN = [
  'Nurhayati', 'Hasnah', 'Aminah', 'Rosmiati', 'Nurul', 'Hasmawati', 'Sri', 'Fatimah', 'Rahmawati', 'Suriani',
  'Nurjannah', 'Hadijah', 'Ratna', 'Rosdiana', 'Asmawati', 'Megawati', 'Wahyuni', 'Indah', 'Nurfadillah', 'Ainun',
  'Hikmah', 'Musdalifah', 'Kartini', 'Marlina', 'Irma', 'Rahmi', 'Fitri', 'Andriani', 'Dewi', 'Hasriani',
  'Nurlaela', 'Sumarni', 'Syamsinar', 'Hamsiah', 'Jumriani', 'Kasmawati', 'Mardiana', 'Nurhaedah', 'Rosmini', 'Salmawati',
  'Rahmatia', 'Sukmawati', 'Haslinda', 'Herlina', 'Nursiah', 'Rukmini', 'Satriani', 'Wiwik', 'Yuliana', 'Zaenab',
  'Arfah', 'Besse', 'Cenning', 'Darmawati', 'Erni', 'Fitriani', 'Harmawati', 'Irmawati', 'Juhriah', 'Kurniati',
];

/** Second names and family names. */
export const FAMILY = [
  'Hidayat', 'Syamsuddin', 'Baso', 'Latief', 'Pawellangi', 'Mappanyukki', 'Rauf', 'Saleh', 'Amir', 'Hamid',
  'Rahman', 'Tahir', 'Mattalitti', 'Arief', 'Parawansa', 'Lallo', 'Sanusi', 'Kadir', 'Patongai', 'Massaile',
  'Bachtiar', 'Nawir', 'Mappaselle', 'Tangdilintin', 'Sampetoding', 'Palallo', 'Mappangara', 'Ramli', 'Sultani', 'Makmur',
  'Hasyim', 'Haruna', 'Djafar', 'Pananrangi', 'Mappatoba', 'Beddu', 'Rasyid', 'Halim', 'Kasim', 'Said',
  'Tajuddin', 'Marzuki', 'Mustari', 'Pabittei', 'Lamba', 'Ngemba', 'Abbas', 'Yusuf', 'Mahmud', 'Patiroi',
  'Syarif', 'Anshar', 'Mallarangeng', 'Tenriadji', 'Padjalangi', 'Sinrang', 'Mattola', 'Rusli', 'Taba', 'Pallawa',
];

/** Names that follow the Makassar title Daeng (a name given in adulthood). */
export const DAENG = [
  'Tompo', 'Nai', 'Sila', 'Ngalle', 'Rani', 'Sikki', 'Bella', 'Tiro', 'Lallo', 'Beta',
  'Manda', 'Ngai', 'Tutu', 'Sese', 'Rewa', 'Kulle', 'Sanre', 'Bunga', 'Ngintang', 'Mile',
  'Ngasseng', 'Jarung', 'Nompo', 'Rappe', 'Gassing', 'Tayang', 'Sau', 'Nyampa', 'Caya', 'Intang',
];

/** Karaeng titles, rare, carried by Makassar nobility. */
export const KARAENG = ['Karaeng Bau', 'Karaeng Lompo', 'Karaeng Sanging', 'Karaeng Ngawing', 'Karaeng Tojeng'];

/** Operator prefixes of Indonesian mobile numbers after the country code 62 (Telkomsel, Indosat, XL, Tri, Smartfren). */
export const MOBILE_PREFIXES = [
  '811', '812', '813', '821', '822', '823', '852', '853', '851', '814', '815', '816', '855', '856', '857', '858',
  '817', '818', '819', '859', '877', '878', '895', '896', '897', '898', '899', '881', '882', '887',
];

/** Reserved example domains (RFC 2606): generated addresses never reach a real mailbox. */
export const EMAIL_DOMAINS = ['example.com', 'example.net', 'example.org'];
