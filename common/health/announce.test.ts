import { describe, expect, it } from 'vitest';
import { announcement, numberWordsEn, terbilang } from './announce.js';

describe('terbilang', () => {
  it.each([
    [0, 'nol'],
    [1, 'satu'],
    [10, 'sepuluh'],
    [11, 'sebelas'],
    [12, 'dua belas'],
    [19, 'sembilan belas'],
    [20, 'dua puluh'],
    [23, 'dua puluh tiga'],
    [100, 'seratus'],
    [101, 'seratus satu'],
    [111, 'seratus sebelas'],
    [250, 'dua ratus lima puluh'],
    [999, 'sembilan ratus sembilan puluh sembilan'],
    [1000, 'seribu'],
    [1005, 'seribu lima'],
    [2026, 'dua ribu dua puluh enam'],
    [11_000, 'sebelas ribu'],
    [100_001, 'seratus ribu satu'],
  ])('%i → %s', (n, words) => {
    expect(terbilang(n)).toBe(words);
  });

  it('refuses what it cannot say', () => {
    expect(() => terbilang(-1)).toThrow(RangeError);
    expect(() => terbilang(1.5)).toThrow(RangeError);
    expect(() => terbilang(1_000_000)).toThrow(RangeError);
  });
});

describe('numberWordsEn', () => {
  it.each([
    [7, 'seven'],
    [40, 'forty'],
    [42, 'forty-two'],
    [300, 'three hundred'],
    [305, 'three hundred and five'],
    [1200, 'one thousand two hundred'],
  ])('%i → %s', (n, words) => {
    expect(numberWordsEn(n)).toBe(words);
  });
});

describe('announcement', () => {
  it('spells the number after the prefix letters and names the service', () => {
    expect(announcement('A-023', 'Poli Umum')).toBe('Nomor antrean A dua puluh tiga, silakan menuju Poli Umum.');
    expect(announcement('F-150', 'Farmasi')).toBe('Nomor antrean F seratus lima puluh, silakan menuju Farmasi.');
    expect(announcement('B-007', 'Dental clinic', 'en')).toBe('Queue number B seven, please go to Dental clinic.');
  });

  it('reads a code of another shape as it is', () => {
    expect(announcement('X23', 'Poli Umum')).toBe('Nomor antrean X23, silakan menuju Poli Umum.');
  });
});
