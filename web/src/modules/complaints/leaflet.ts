import { useQuery } from '@tanstack/react-query';
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
export const GROUP_COLORS = { verified: '#1c7ed6', in_progress: '#f08c00', resolved: '#2f9e44' } as const;
export type StatusGroup = keyof typeof GROUP_COLORS;
