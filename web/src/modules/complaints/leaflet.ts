import { useQuery } from '@tanstack/react-query';
import type { LayerGroup, Map as LeafletMap } from 'leaflet';
import { type RefObject, useEffect, useState } from 'react';
import { api } from '../../app/api';
import { ensureLocale } from '../../app/i18n';

export type Leaflet = typeof import('leaflet');

let loading: Promise<Leaflet> | null = null;

/**
 * Leaflet, its stylesheet and the `publicMap` texts, loaded on first use only: pages with a map
 * download the library when the map opens, never with their first load.
 */
export function loadLeaflet(): Promise<Leaflet> {
  loading ??= Promise.all([import('leaflet'), import('leaflet/dist/leaflet.css'), ensureLocale(['publicMap'])])
    .then(([mod]) => ((mod as { default?: Leaflet }).default ?? mod) as Leaflet)
    .catch((e) => {
      loading = null;
      throw e;
    });
  return loading;
}

export interface MapConfig {
  tileUrl: string;
  attribution: string;
  bounds: { south: number; west: number; north: number; east: number } | null;
}

/** Tile server and report area of the tenant (GET /api/v1/complaints/map/config). */
export function useMapConfig() {
  return useQuery({
    queryKey: ['complaints', 'mapConfig'],
    queryFn: () => api.get<MapConfig>('/api/v1/complaints/map/config'),
    staleTime: 60 * 60_000,
  });
}

/** Status group colours of markers and bubbles (Mantine palette, readable on light tiles). */
/** Deepest zoom of the maps (the tiles of OpenStreetMap end there). */
export const BROWSE_MAX_ZOOM = 19;

export const GROUP_COLORS = { verified: '#1c7ed6', in_progress: '#f08c00', resolved: '#2f9e44' } as const;
export type StatusGroup = keyof typeof GROUP_COLORS;

/** A report's pin: a dot in its status colour with a ring (white, or red when overdue). */
export function pinIcon(L: Leaflet, testId: string, fill: string, ring = '#fff') {
  return L.divIcon({
    className: 'balai-map-point',
    html: `<div data-testid="${testId}" style="width:18px;height:18px;border-radius:50%;background:${fill};border:3px solid ${ring};box-shadow:0 0 0 1px rgba(0,0,0,.4)"></div>`,
    iconSize: [18, 18],
    iconAnchor: [9, 9],
  });
}

/** Leaflet once loaded (null meanwhile), and whether loading it failed (offline, blocked). */
export function useLeaflet(): { L: Leaflet | null; failed: boolean } {
  const [L, setL] = useState<Leaflet | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    loadLeaflet().then(
      (mod) => live && setL(() => mod),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, []);
  return { L, failed };
}

/** The visible box as the map APIs take it: `bbox=west,south,east,north` and a whole zoom. */
export interface Viewport {
  bbox: string;
  zoom: number;
}

/**
 * A browsing map in `el` (public map, inbox map): opens on `at` when given, else over the tenant's
 * report area; draws the tenant's tiles (decoration: without them the markers still show); gives one
 * layer group for the caller's markers and the visible box after every move.
 */
export function useBrowseMap(el: RefObject<HTMLElement | null>, at: { lat: number; lng: number; zoom: number } | null = null) {
  const { L, failed } = useLeaflet();
  const config = useMapConfig();
  const [map, setMap] = useState<LeafletMap | null>(null);
  const [layer, setLayer] = useState<LayerGroup | null>(null);
  const [viewport, setViewport] = useState<Viewport | null>(null);

  const bounds = config.data?.bounds;
  useEffect(() => {
    if (!L || !el.current || config.isPending) return;
    const m = L.map(el.current, { minZoom: 3, maxZoom: BROWSE_MAX_ZOOM });
    if (at) m.setView([at.lat, at.lng], at.zoom);
    else if (bounds)
      m.fitBounds([
        [bounds.south, bounds.west],
        [bounds.north, bounds.east],
      ]);
    else m.setView([-2.5, 118], 5);
    const report = () => {
      const b = m.getBounds();
      const r = (v: number) => Math.round(v * 1e5) / 1e5;
      const west = r(Math.max(-180, b.getWest()));
      const east = r(Math.min(180, b.getEast()));
      const south = r(Math.max(-85, b.getSouth()));
      const north = r(Math.min(85, b.getNorth()));
      setViewport({ bbox: `${west},${south},${east},${north}`, zoom: Math.round(m.getZoom()) });
    };
    m.on('moveend', report);
    report();
    setLayer(L.layerGroup().addTo(m));
    setMap(m);
    return () => {
      m.remove();
      setLayer(null);
      setMap(null);
    };
  }, [L, el, config.isPending, bounds, at]);

  useEffect(() => {
    if (!L || !map || !config.data) return;
    const tiles = L.tileLayer(config.data.tileUrl, { attribution: config.data.attribution, maxZoom: BROWSE_MAX_ZOOM }).addTo(map);
    return () => {
      tiles.remove();
    };
  }, [L, map, config.data]);

  return { L, failed, map, layer, viewport };
}
