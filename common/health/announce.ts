/**
 * What the TV display says when a number is called, for the browser's speech synthesis. Numbers
 * are spelled out in words (terbilang), so the call sounds the same whichever voice the TV has.
 */

const UNITS_ID = ['nol', 'satu', 'dua', 'tiga', 'empat', 'lima', 'enam', 'tujuh', 'delapan', 'sembilan', 'sepuluh', 'sebelas'];

/** An integer from 0 to 999,999 in Indonesian words: 23 → "dua puluh tiga", 101 → "seratus satu". */
export function terbilang(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 999_999) throw new RangeError(`terbilang: ${n}`);
  if (n < 12) return UNITS_ID[n]!;
  if (n < 20) return `${UNITS_ID[n - 10]} belas`;
  if (n < 100) return join(`${UNITS_ID[Math.floor(n / 10)]} puluh`, n % 10);
  if (n < 200) return join('seratus', n - 100);
  if (n < 1000) return join(`${UNITS_ID[Math.floor(n / 100)]} ratus`, n % 100);
  if (n < 2000) return join('seribu', n - 1000);
  return join(`${terbilang(Math.floor(n / 1000))} ribu`, n % 1000);
}

function join(head: string, rest: number): string {
  return rest === 0 ? head : `${head} ${terbilang(rest)}`;
}

const UNITS_EN = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TENS_EN = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

/** The English counterpart, 0 to 9,999. */
export function numberWordsEn(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 9_999) throw new RangeError(`numberWordsEn: ${n}`);
  if (n < 20) return UNITS_EN[n]!;
  if (n < 100) return n % 10 ? `${TENS_EN[Math.floor(n / 10)]}-${UNITS_EN[n % 10]}` : TENS_EN[n / 10]!;
  if (n < 1000) return n % 100 ? `${UNITS_EN[Math.floor(n / 100)]} hundred and ${numberWordsEn(n % 100)}` : `${UNITS_EN[n / 100]} hundred`;
  return n % 1000 ? `${numberWordsEn(Math.floor(n / 1000))} thousand ${numberWordsEn(n % 1000)}` : `${numberWordsEn(n / 1000)} thousand`;
}

/**
 * The call of a queue code (`A-023`) to a service: "Nomor antrean A dua puluh tiga, silakan menuju
 * Poli Umum." A code that is not prefix-number is read as it is.
 */
export function announcement(queueCode: string, serviceName: string, lang: 'id' | 'en' = 'id'): string {
  const m = /^([A-Z]{1,3})-0*([0-9]{1,4})$/.exec(queueCode);
  const spoken = m ? `${m[1]!.split('').join(' ')} ${lang === 'id' ? terbilang(Number(m[2])) : numberWordsEn(Number(m[2]))}` : queueCode;
  return lang === 'id' ? `Nomor antrean ${spoken}, silakan menuju ${serviceName}.` : `Queue number ${spoken}, please go to ${serviceName}.`;
}
