import type { Database } from '../../db/client.js';
import { Invalid, NotFound } from '../errors.js';

/** Most rows one request may ask for. */
export const MAX_LIMIT = 100;
/** A listing (without a search) reaches at most this many levels below its parent. */
const MAX_LIST_DEPTH = 2;

export interface RegionRef {
  code: string;
  name: string;
}

export interface Region {
  code: string;
  name: string;
  /** 1 province, 2 regency/city (kabupaten/kota), 3 district (kecamatan), 4 village (kelurahan/desa). */
  level: number;
  parentCode: string | null;
  province: RegionRef | null;
  regency: RegionRef | null;
  district: RegionRef | null;
}

export interface RegionQuery {
  /** Parent region; absent means the whole country. */
  parent?: string;
  /** Fuzzy name search (typo-tolerant), ordered by similarity. */
  q?: string;
  /** Only regions of this level. */
  level?: number;
  limit: number;
  cursor?: string;
}

interface Row {
  code: string;
  name: string;
  level: number;
  parent_code: string | null;
  p_code: string | null;
  p_name: string | null;
  k_code: string | null;
  k_name: string | null;
  d_code: string | null;
  d_name: string | null;
}

// Ancestors follow from the code itself: province = first 2 characters, regency 5, district 8.
const SELECT = `SELECT r.code, r.name, r.level::int AS level, r.parent_code,
       p.code AS p_code, p.name AS p_name, k.code AS k_code, k.name AS k_name, d.code AS d_code, d.name AS d_name
  FROM regions r
  LEFT JOIN regions p ON r.level > 1 AND p.code = left(r.code, 2)
  LEFT JOIN regions k ON r.level > 2 AND k.code = left(r.code, 5)
  LEFT JOIN regions d ON r.level > 3 AND d.code = left(r.code, 8)`;

function present(r: Row): Region {
  const ref = (code: string | null, name: string | null) => (code && name ? { code, name } : null);
  return {
    code: r.code,
    name: r.name,
    level: Number(r.level),
    parentCode: r.parent_code,
    province: ref(r.p_code, r.p_name),
    regency: ref(r.k_code, r.k_name),
    district: ref(r.d_code, r.d_name),
  };
}

function encodeCursor(r: { name: string; code: string }): string {
  return Buffer.from(JSON.stringify([r.name, r.code])).toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string') return [v[0], v[1]];
  } catch {
    // fall through
  }
  throw Invalid.field('querystring.cursor', 'field.cursor');
}

/** Normalises a search text: lower case, single spaces. */
function normalizeQuery(q: string): string {
  return q.trim().toLowerCase().replace(/\s+/g, ' ');
}

/**
 * Lists regions. Without `q`: the regions `level` under `parent` (default: its children; at most
 * two levels down), ordered by name, with a cursor. With `q`: a typo-tolerant search over names
 * (pg_trgm word similarity and similarity, index regions_name_trgm_idx), optionally only below
 * `parent` and at `level`, best matches first; a search returns one page (no cursor).
 * An unknown parent answers 404 (region_not_found), so that a typo is not mistaken for "no
 * children".
 */
export async function listRegions(db: Database, query: RegionQuery): Promise<{ items: Region[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(query.limit, 1), MAX_LIMIT);
  let parentLevel = 0;
  if (query.parent) {
    const [p] = await db.query<{ level: number }>('SELECT level::int AS level FROM regions WHERE code = $1', [query.parent]);
    if (!p) throw new NotFound('region_not_found', { code: query.parent });
    parentLevel = Number(p.level);
  }
  if (query.level !== undefined && query.level <= parentLevel) {
    throw Invalid.field('querystring.level', 'regions.level_below_parent', { level: query.level, parentLevel });
  }

  if (query.q !== undefined) {
    if (query.cursor) throw Invalid.field('querystring.cursor', 'regions.cursor_with_search');
    const q = normalizeQuery(query.q);
    const params: unknown[] = [q];
    const where = ['($1 <% lower(r.name) OR lower(r.name) % $1)'];
    if (query.parent) {
      params.push(`${query.parent}.%`);
      where.push(`r.code LIKE $${params.length}`);
    }
    if (query.level !== undefined) {
      params.push(query.level);
      where.push(`r.level = $${params.length}`);
    }
    params.push(limit);
    const rows = await db.query<Row>(
      `${SELECT}
        WHERE ${where.join(' AND ')}
        ORDER BY word_similarity($1, lower(r.name)) DESC, similarity(lower(r.name), $1) DESC, r.level, r.name, r.code
        LIMIT $${params.length}`,
      params,
    );
    return { items: rows.map(present), nextCursor: null };
  }

  const depth = (query.level ?? parentLevel + 1) - parentLevel;
  if (depth > MAX_LIST_DEPTH) {
    throw Invalid.field('querystring.level', 'regions.level_too_deep', { level: query.level, maxLevel: parentLevel + MAX_LIST_DEPTH });
  }
  // Served by regions_parent_idx (parent_code, name): the parent's children, or their children.
  const params: unknown[] = [];
  let parentCond: string;
  if (query.parent) {
    params.push(query.parent);
    parentCond = 'parent_code = $1';
  } else {
    parentCond = 'parent_code IS NULL';
  }
  const where = [depth === 1 ? `r.${parentCond}` : `r.parent_code IN (SELECT code FROM regions WHERE ${parentCond})`];
  if (query.cursor) {
    const [name, code] = decodeCursor(query.cursor);
    params.push(name, code);
    where.push(`(r.name, r.code) > ($${params.length - 1}, $${params.length})`);
  }
  params.push(limit + 1);
  const rows = await db.query<Row>(`${SELECT} WHERE ${where.join(' AND ')} ORDER BY r.name, r.code LIMIT $${params.length}`, params);
  const page = rows.slice(0, limit);
  return { items: page.map(present), nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]) : null };
}

/** One region with its ancestors and how many regions sit directly below it. */
export async function getRegion(db: Database, code: string): Promise<Region & { childCount: number }> {
  const [row] = await db.query<Row & { child_count: number }>(
    `${SELECT.replace('SELECT r.code', 'SELECT (SELECT count(*)::int FROM regions c WHERE c.parent_code = r.code) AS child_count, r.code')} WHERE r.code = $1`,
    [code],
  );
  if (!row) throw new NotFound('region_not_found', { code });
  return { ...present(row), childCount: Number(row.child_count) };
}
