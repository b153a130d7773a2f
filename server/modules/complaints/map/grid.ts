import { Invalid } from '../../../platform/errors.js';

/**
 * The map grid: Web Mercator positions on the level-24 grid (2^24 columns and rows), as the SQL
 * functions complaint_map_x/complaint_map_y of migration 0012 compute them. The cell of level L
 * is the position shifted right by 24 − L; a level-L cell is one map tile at zoom L.
 */
export const GRID_BITS = 24;
const SIZE = 2 ** GRID_BITS;
const MAX_LAT = 85.0511;

/** Levels kept in complaint_map_cells (the rollup). */
export const MIN_LEVEL = 3;
export const MAX_LEVEL = 17;
/** Clusters are drawn on cells of a quarter tile (64 px): level = zoom + 2. */
export const CELL_LEVEL_OFFSET = 2;
/** From this zoom on, individual reports are shown when the screen can show them all (pointLimit). */
export const POINTS_ZOOM = 16;
/** From this zoom on, reports are always shown one by one (the newest pointLimit of them). */
export const ALWAYS_POINTS_ZOOM = 18;
/** Most pins sent for one screen, however large. */
export const MAX_POINTS = 500;
/** Fewest pins sent for a screen, however small. */
export const MIN_POINTS = 100;
/** Screen area per pin, in CSS pixels: a pin is 24 px across, so one per 32 × 32 px keeps them apart. */
export const PIN_AREA_PX = 32 * 32;

/**
 * How many pins a box shows at a zoom: one per PIN_AREA_PX of the screen the box fills, between
 * MIN_POINTS and MAX_POINTS. A phone (360 × 640 px) gets 225, a desktop screen 500. More pins than
 * that cover the map with overlapping dots that no one can tap apart, and a phone on a weak
 * connection would download them for nothing.
 */
export function pointLimit(b: BBox, zoom: number): number {
  const perPx = 2 ** (GRID_BITS - 8 - zoom); // level-24 grid units per pixel (256-px tiles)
  const w = (gridX(b.east) - gridX(b.west)) / perPx;
  const h = (gridY(b.south) - gridY(b.north)) / perPx;
  return Math.max(MIN_POINTS, Math.min(MAX_POINTS, Math.floor((w * h) / PIN_AREA_PX)));
}
/**
 * Level of the grid columns that lead complaints_map_columns_idx (migration 0016: the expression
 * `complaint_map_x(lng) >> 7`, 7 = GRID_BITS − 17): a box of reports is read column by column.
 */
export const POINT_COLUMN_LEVEL = 17;

/** The level-POINT_COLUMN_LEVEL grid columns a box covers, west to east. */
export function pointColumns(b: BBox): number[] {
  const shift = GRID_BITS - POINT_COLUMN_LEVEL;
  const x0 = gridX(b.west) >> shift;
  const x1 = gridX(b.east) >> shift;
  return Array.from({ length: x1 - x0 + 1 }, (_, i) => x0 + i);
}
/** Largest bounding box accepted, in tiles of the requested zoom each way (a 4K screen is 15). */
export const MAX_TILES_ACROSS = 24;
export const MAX_ZOOM = 22;

export function gridX(lng: number): number {
  return Math.min(SIZE - 1, Math.max(0, Math.floor(((lng + 180) / 360) * SIZE)));
}

export function gridY(lat: number): number {
  const r = (Math.min(MAX_LAT, Math.max(-MAX_LAT, lat)) * Math.PI) / 180;
  return Math.min(SIZE - 1, Math.max(0, Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * SIZE)));
}

/** Longitude of the west edge of grid column x (level 24). */
export function lngOf(x: number): number {
  return (x / SIZE) * 360 - 180;
}

/** Latitude of the north edge of grid row y (level 24). */
export function latOf(y: number): number {
  const n = Math.PI - (2 * Math.PI * y) / SIZE;
  return (180 / Math.PI) * Math.atan(Math.sinh(n));
}

export interface BBox {
  west: number;
  south: number;
  east: number;
  north: number;
}

/** Cells of a level covering a bounding box (inclusive ranges; y grows southwards). */
export interface CellRange {
  level: number;
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

export function cellRange(b: BBox, level: number): CellRange {
  const shift = GRID_BITS - level;
  return { level, x0: gridX(b.west) >> shift, x1: gridX(b.east) >> shift, y0: gridY(b.north) >> shift, y1: gridY(b.south) >> shift };
}

/** The lat/lng rectangle of whole cells (what the raw path filters, so both paths count alike). */
export function rangeBounds(r: CellRange): BBox {
  const shift = GRID_BITS - r.level;
  return { west: lngOf(r.x0 << shift), east: lngOf((r.x1 + 1) * 2 ** shift), north: latOf(r.y0 << shift), south: latOf((r.y1 + 1) * 2 ** shift) };
}

export function clusterLevel(zoom: number): number {
  return Math.min(MAX_LEVEL, Math.max(MIN_LEVEL, zoom + CELL_LEVEL_OFFSET));
}

/**
 * Reads `west,south,east,north` (decimal degrees) and checks it for the zoom: a 400 on
 * `querystring.bbox` when malformed, inverted, out of range or wider than MAX_TILES_ACROSS tiles.
 */
export function parseBBox(raw: string, zoom: number): BBox {
  const field = 'querystring.bbox';
  const parts = raw.split(',');
  const nums = parts.map((p) => (/^\s*-?\d+(\.\d+)?\s*$/.test(p) ? Number(p) : Number.NaN));
  if (parts.length !== 4 || nums.some((n) => !Number.isFinite(n))) throw Invalid.field(field, 'complaints.map_bbox_format');
  const [west, south, east, north] = nums;
  if (Math.abs(west) > 180 || Math.abs(east) > 180 || Math.abs(south) > 90 || Math.abs(north) > 90) throw Invalid.field(field, 'complaints.map_bbox_range');
  if (!(west < east) || !(south < north)) throw Invalid.field(field, 'complaints.map_bbox_inverted');
  const tiles = 2 ** zoom;
  const across = ((east - west) / 360) * tiles;
  const down = ((gridY(south) - gridY(north)) / SIZE) * tiles;
  if (across > MAX_TILES_ACROSS || down > MAX_TILES_ACROSS) throw Invalid.field(field, 'complaints.map_bbox_too_large', { tiles: MAX_TILES_ACROSS });
  return { west, south, east, north };
}
