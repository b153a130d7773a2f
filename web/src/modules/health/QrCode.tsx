import { useMemo } from 'react';
import { encode } from 'uqr';

/** A QR code as inline SVG (one path of dark modules, with the quiet zone), crisp at any size. */
export function QrCode({ value, size = 176, label }: { value: string; size?: number; label: string }) {
  const { d, n } = useMemo(() => {
    const qr = encode(value, { ecc: 'M', border: 2 });
    let path = '';
    qr.data.forEach((row, y) => {
      row.forEach((dark, x) => {
        if (dark) path += `M${x} ${y}h1v1h-1z`;
      });
    });
    return { d: path, n: qr.size };
  }, [value]);
  return (
    <svg width={size} height={size} viewBox={`0 0 ${n} ${n}`} role="img" aria-label={label} shapeRendering="crispEdges" style={{ background: '#fff', display: 'block' }}>
      <path d={d} fill="#000" />
    </svg>
  );
}
