import { Alert, Box, Button, Group, Loader, Text } from '@mantine/core';
import { IconCurrentLocation } from '@tabler/icons-react';
import type { LatLngBounds, Map as LeafletMap, Marker } from 'leaflet';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BROWSE_MAX_ZOOM, useLeaflet, useMapConfig } from './leaflet';

export interface LatLng {
  lat: number;
  lng: number;
}

export interface MapPickerProps {
  /** The chosen place, or null while none is chosen. */
  value: LatLng | null;
  /** Called with the new place when the resident taps the map, drags the pin or uses their location. */
  onChange(v: LatLng): void;
  /** The tenant's report area: places outside are refused (the server refuses them too). */
  bounds: { south: number; west: number; north: number; east: number };
  /** Height of the map in CSS pixels (default 280). */
  height?: number;
  /** Tile URL; by default the tenant's (GET /api/v1/complaints/map/config). */
  tileUrl?: string;
  /** Whether to show the "use my location" button under the map (default true; hide it when the form has its own). */
  locateButton?: boolean;
}

const PIN_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="30" height="42" viewBox="0 0 30 42" aria-hidden="true"><path d="M15 1C7.3 1 1 7.2 1 14.9 1 25.4 15 41 15 41s14-15.6 14-26.1C29 7.2 22.7 1 15 1z" fill="#e03131" stroke="#fff" stroke-width="2"/><circle cx="15" cy="15" r="5.5" fill="#fff"/></svg>';

/** Six decimals: about 10 cm, more than any phone's GPS. */
const round = (v: number) => Math.round(v * 1e6) / 1e6;

/**
 * A map to place the report's pin: tap or drag the pin, or use the phone's location. Leaflet and
 * its stylesheet load when this component mounts (load the component itself lazily too, e.g.
 * `lazy(() => import('./MapPicker'))`), so the report page's first load does not carry them.
 * Without map tiles the pin can still be placed (the area stays grey).
 */
export function MapPicker({ value, onChange, bounds, height = 280, tileUrl, locateButton = true }: MapPickerProps) {
  const { t } = useTranslation();
  const el = useRef<HTMLDivElement>(null);
  const { L, failed } = useLeaflet();
  const [map, setMap] = useState<LeafletMap | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [locating, setLocating] = useState(false);
  const marker = useRef<Marker | null>(null);
  const area = useRef<LatLngBounds | null>(null);
  const config = useMapConfig();
  const url = tileUrl ?? config.data?.tileUrl;
  const attribution = config.data?.attribution ?? '';
  // Latest callback and value without re-creating the map.
  const changeRef = useRef(onChange);
  changeRef.current = onChange;
  const valueRef = useRef(value);
  valueRef.current = value;

  const { south, west, north, east } = bounds;
  useEffect(() => {
    if (!L || !el.current) return;
    const b = L.latLngBounds([south, west], [north, east]);
    area.current = b;
    const m = L.map(el.current, { maxBounds: b.pad(0.25), maxBoundsViscosity: 0.8, minZoom: 9 });
    const v = valueRef.current;
    if (v) m.setView([v.lat, v.lng], 17);
    else m.fitBounds(b);
    m.on('click', (e) => {
      if (!b.contains(e.latlng)) {
        setError('outside');
        return;
      }
      setError(null);
      changeRef.current({ lat: round(e.latlng.lat), lng: round(e.latlng.lng) });
    });
    setMap(m);
    return () => {
      m.remove();
      marker.current = null;
      setMap(null);
    };
  }, [L, south, west, north, east]);

  useEffect(() => {
    if (!L || !map || !url) return;
    const layer = L.tileLayer(url, { attribution, maxZoom: BROWSE_MAX_ZOOM, crossOrigin: true }).addTo(map);
    return () => {
      layer.remove();
    };
  }, [L, map, url, attribution]);

  // The pin follows the value (set here, by the form's photo EXIF, or by the location button).
  useEffect(() => {
    if (!L || !map) return;
    if (!value) {
      marker.current?.remove();
      marker.current = null;
      return;
    }
    if (!marker.current) {
      const icon = L.divIcon({ html: PIN_SVG, className: 'balai-map-pin', iconSize: [30, 42], iconAnchor: [15, 41] });
      const mk = L.marker([value.lat, value.lng], { draggable: true, icon, keyboard: true, title: t('publicMap.picker.pin') }).addTo(map);
      mk.on('dragend', () => {
        const p = mk.getLatLng();
        if (area.current && !area.current.contains(p)) {
          setError('outside');
          const v = valueRef.current;
          if (v) mk.setLatLng([v.lat, v.lng]);
          return;
        }
        setError(null);
        changeRef.current({ lat: round(p.lat), lng: round(p.lng) });
      });
      marker.current = mk;
      if (!map.getBounds().contains([value.lat, value.lng])) map.setView([value.lat, value.lng], Math.max(map.getZoom(), 16));
    } else {
      marker.current.setLatLng([value.lat, value.lng]);
    }
  }, [L, map, value, t]);

  const locate = () => {
    if (!('geolocation' in navigator)) {
      setError('unavailable');
      return;
    }
    setLocating(true);
    setError(null);
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setLocating(false);
        const p = { lat: round(pos.coords.latitude), lng: round(pos.coords.longitude) };
        if (p.lat < south || p.lat > north || p.lng < west || p.lng > east) {
          setError('outside');
          return;
        }
        changeRef.current(p);
        map?.setView([p.lat, p.lng], 17);
      },
      (e) => {
        setLocating(false);
        setError(e.code === e.PERMISSION_DENIED ? 'denied' : 'unavailable');
      },
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    );
  };

  if (failed) {
    return (
      <Alert color="yellow" data-testid="map-picker-failed">
        {t('publicMap.picker.failed', { defaultValue: 'Peta tidak dapat dimuat. Pilih kecamatan/kelurahan dan isi alamat.' })}
      </Alert>
    );
  }
  return (
    <Box data-testid="map-picker">
      <Box
        ref={el}
        role="application"
        aria-label={L ? t('publicMap.picker.label') : undefined}
        style={{ height, borderRadius: 8, overflow: 'hidden', background: '#e9ecef', position: 'relative', zIndex: 0 }}
      >
        {L ? null : (
          <Group justify="center" align="center" h="100%">
            <Loader size="sm" />
          </Group>
        )}
      </Box>
      {L ? (
        <Group justify="space-between" mt={6} gap="xs" wrap="wrap">
          <Text size="xs" c="dimmed" aria-live="polite" data-testid="map-picker-value">
            {value ? t('publicMap.picker.chosen', { lat: value.lat.toFixed(5), lng: value.lng.toFixed(5) }) : t('publicMap.picker.hint')}
          </Text>
          {locateButton ? (
            <Button size="xs" variant="light" leftSection={<IconCurrentLocation size={16} aria-hidden />} loading={locating} onClick={locate} data-testid="map-picker-locate">
              {t('publicMap.picker.myLocation')}
            </Button>
          ) : null}
        </Group>
      ) : null}
      {error && L ? (
        <Text size="xs" c="red" mt={4} role="alert">
          {t(`publicMap.picker.error.${error}`)}
        </Text>
      ) : null}
    </Box>
  );
}

export default MapPicker;
