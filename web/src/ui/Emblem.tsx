import { useState } from 'react';
import { withBase } from '../app/base';

/** Initials of a government's name without its type word ("Kota Makassar" → "M", "Kabupaten Gowa" → "G"). */
export function initialsOf(name: string): string {
  const words = name
    .replace(/^(Pemerintah\s+)?(Kota|Kabupaten|Kab\.|Provinsi)\s+/i, '')
    .split(/\s+/)
    .filter(Boolean);
  return (
    words
      .slice(0, 2)
      .map((w) => w[0]!.toUpperCase())
      .join('') || 'B'
  );
}

/**
 * The government's logo, or a shield built from its initials when no logo is uploaded (no external
 * images). Decorative: the name is always written beside it.
 */
export function Emblem({ name, logoUrl, size = 48 }: { name: string; logoUrl?: string | null; size?: number }) {
  const [failed, setFailed] = useState(false);
  if (logoUrl && !failed) {
    // API paths belong to this government's base path (/t/{slug}/api/…).
    const src = logoUrl.startsWith('/api/') ? withBase(logoUrl) : logoUrl;
    return <img src={src} alt="" width={size} height={size} style={{ objectFit: 'contain' }} onError={() => setFailed(true)} />;
  }
  const initials = initialsOf(name);
  return (
    <svg width={size} height={size} viewBox="0 0 48 48" aria-hidden="true" focusable="false">
      <path d="M24 2 5 9v13c0 11.6 8 21.2 19 24 11-2.8 19-12.4 19-24V9z" fill="var(--mantine-color-balai-7)" />
      <path d="M24 6.5 9 12v10c0 9.3 6.3 17 15 19.5 8.7-2.5 15-10.2 15-19.5V12z" fill="none" stroke="#f2c94c" strokeWidth="1.6" />
      <text x="24" y="30" textAnchor="middle" fontSize={initials.length > 1 ? 15 : 19} fontWeight="700" fill="#fff" fontFamily="system-ui, sans-serif">
        {initials}
      </text>
    </svg>
  );
}
