-- Public map and list of verified reports (server/modules/complaints/map).
--
-- Low zoom levels read a rollup of the public reports per grid cell instead of scanning reports:
-- complaint_map_cells holds, per Web Mercator tile cell at every level from 3 to 17, category,
-- kecamatan and status group, the number of reports and the sums of their coordinates (centroid =
-- sum / count); complaint_map_totals the same per cell and status group only (unfiltered maps). Statement-level triggers on complaints keep it in the same transaction as every
-- insert, status change, move, category change or hiding, as increments (UPSERT), so concurrent
-- writers only meet on the cells they both touch. High zoom levels read the reports themselves
-- through a partial index on their coordinates.

-- Map settings of the tenant: the tile server of its maps (any {z}/{x}/{y} raster tile URL).
ALTER TABLE complaint_settings
  ADD COLUMN map_tile_url text NOT NULL DEFAULT 'https://tile.openstreetmap.org/{z}/{x}/{y}.png'
    CHECK (length(map_tile_url) <= 300 AND map_tile_url ~ '^https?://' AND position('{z}' IN map_tile_url) > 0 AND position('{x}' IN map_tile_url) > 0 AND position('{y}' IN map_tile_url) > 0),
  ADD COLUMN map_attribution text NOT NULL DEFAULT '© OpenStreetMap contributors' CHECK (length(map_attribution) <= 300);

-- Web Mercator position on the level-24 grid (2^24 columns and rows); the cell of level L is
-- x >> (24 - L). The server computes the same numbers for a bounding box (map/grid.ts).
CREATE FUNCTION complaint_map_x(lng double precision) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT least(16777215, greatest(0, floor((lng + 180) / 360 * 16777216)))::integer
$$;
CREATE FUNCTION complaint_map_y(lat double precision) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT least(16777215, greatest(0, floor(
    (1 - ln(tan(radians(least(85.0511, greatest(-85.0511, lat)))) + 1 / cos(radians(least(85.0511, greatest(-85.0511, lat))))) / pi()) / 2 * 16777216
  )))::integer
$$;
-- The public status group of a report, NULL while it is not public (submitted, rejected, withdrawn).
CREATE FUNCTION complaint_map_group(status text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN status = 'verified' THEN 'verified'
    WHEN status IN ('disposed', 'in_progress', 'needs_info', 'reopened') THEN 'in_progress'
    WHEN status IN ('resolved', 'closed') THEN 'resolved'
  END
$$;

-- The rollup. Whether a category is public is checked when reading (a category turned private
-- disappears at once without rewriting its cells). kecamatan_code is '' for reports without one.
CREATE TABLE complaint_map_cells (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  level smallint NOT NULL CHECK (level BETWEEN 3 AND 17),
  cell_x integer NOT NULL,
  cell_y integer NOT NULL,
  category_id uuid NOT NULL,
  kecamatan_code text NOT NULL,
  status_group text NOT NULL CHECK (status_group IN ('verified', 'in_progress', 'resolved')),
  -- No CHECK (reports >= 0): an UPSERT checks the proposed row (a −1 delta) before it meets the conflict.
  reports integer NOT NULL,
  sum_lat double precision NOT NULL,
  sum_lng double precision NOT NULL,
  PRIMARY KEY (tenant_id, level, cell_x, cell_y, category_id, kecamatan_code, status_group)
);

-- The same without category and kecamatan, counting public categories only: what the map reads
-- when neither filter is set (at most three rows per cell). A category turning private or public
-- moves its cells out of or into it (trigger on complaint_categories below).
CREATE TABLE complaint_map_totals (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  level smallint NOT NULL CHECK (level BETWEEN 3 AND 17),
  cell_x integer NOT NULL,
  cell_y integer NOT NULL,
  status_group text NOT NULL CHECK (status_group IN ('verified', 'in_progress', 'resolved')),
  reports integer NOT NULL,
  sum_lat double precision NOT NULL,
  sum_lng double precision NOT NULL,
  PRIMARY KEY (tenant_id, level, cell_x, cell_y, status_group)
);

-- One change of the rollup: a report entering (+1) or leaving (-1) a cell.
CREATE TYPE complaint_map_delta AS (tenant_id uuid, x integer, y integer, category_id uuid, kecamatan_code text, status_group text, sign integer, lat double precision, lng double precision);

CREATE FUNCTION complaint_map_add(d complaint_map_delta[]) RETURNS void LANGUAGE sql AS $$
  -- Whether each category is public, held until commit: a concurrent change of it (which moves its
  -- cells in or out of the totals) waits for this transaction, or this one sees its result.
  SELECT 1 FROM complaint_categories cat
   WHERE (cat.tenant_id, cat.id) IN (SELECT DISTINCT e.tenant_id, e.category_id FROM unnest(d) e)
     FOR SHARE;
  INSERT INTO complaint_map_cells AS m (tenant_id, level, cell_x, cell_y, category_id, kecamatan_code, status_group, reports, sum_lat, sum_lng)
  SELECT e.tenant_id, l.level, e.x >> (24 - l.level), e.y >> (24 - l.level), e.category_id, e.kecamatan_code, e.status_group,
         sum(e.sign)::integer, sum(e.sign * e.lat), sum(e.sign * e.lng)
    FROM unnest(d) e
    CROSS JOIN generate_series(3, 17) AS l (level)
   GROUP BY 1, 2, 3, 4, 5, 6, 7
  HAVING sum(e.sign) <> 0 OR sum(e.sign * e.lat) <> 0 OR sum(e.sign * e.lng) <> 0
   -- One lock order for every writer (no deadlock between two transactions touching the same cells).
   ORDER BY 1, 2, 3, 4, 5, 6, 7
  ON CONFLICT (tenant_id, level, cell_x, cell_y, category_id, kecamatan_code, status_group)
  DO UPDATE SET reports = m.reports + excluded.reports, sum_lat = m.sum_lat + excluded.sum_lat, sum_lng = m.sum_lng + excluded.sum_lng;
  INSERT INTO complaint_map_totals AS m (tenant_id, level, cell_x, cell_y, status_group, reports, sum_lat, sum_lng)
  SELECT e.tenant_id, l.level, e.x >> (24 - l.level), e.y >> (24 - l.level), e.status_group,
         sum(e.sign)::integer, sum(e.sign * e.lat), sum(e.sign * e.lng)
    FROM unnest(d) e
    JOIN complaint_categories cat ON cat.tenant_id = e.tenant_id AND cat.id = e.category_id AND cat.public
    CROSS JOIN generate_series(3, 17) AS l (level)
   GROUP BY 1, 2, 3, 4, 5
  HAVING sum(e.sign) <> 0 OR sum(e.sign * e.lat) <> 0 OR sum(e.sign * e.lng) <> 0
   ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (tenant_id, level, cell_x, cell_y, status_group)
  DO UPDATE SET reports = m.reports + excluded.reports, sum_lat = m.sum_lat + excluded.sum_lat, sum_lng = m.sum_lng + excluded.sum_lng;
$$;

CREATE FUNCTION complaint_map_sync() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  d complaint_map_delta[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    d := ARRAY(
      SELECT ROW(n.tenant_id, complaint_map_x(n.lng), complaint_map_y(n.lat), n.category_id, coalesce(n.kecamatan_code, ''), complaint_map_group(n.status), 1, n.lat, n.lng)::complaint_map_delta
        FROM complaint_map_new n
       WHERE n.lat IS NOT NULL AND NOT n.hidden AND complaint_map_group(n.status) IS NOT NULL);
  ELSIF TG_OP = 'DELETE' THEN
    d := ARRAY(
      SELECT ROW(o.tenant_id, complaint_map_x(o.lng), complaint_map_y(o.lat), o.category_id, coalesce(o.kecamatan_code, ''), complaint_map_group(o.status), -1, o.lat, o.lng)::complaint_map_delta
        FROM complaint_map_old o
       WHERE o.lat IS NOT NULL AND NOT o.hidden AND complaint_map_group(o.status) IS NOT NULL);
  ELSE
    -- Only rows whose place on the map changed (most updates — deadlines, notes — change none).
    d := ARRAY(
      SELECT ROW(o.tenant_id, complaint_map_x(o.lng), complaint_map_y(o.lat), o.category_id, coalesce(o.kecamatan_code, ''), complaint_map_group(o.status), -1, o.lat, o.lng)::complaint_map_delta
        FROM complaint_map_old o JOIN complaint_map_new n ON n.tenant_id = o.tenant_id AND n.id = o.id
       WHERE o.lat IS NOT NULL AND NOT o.hidden AND complaint_map_group(o.status) IS NOT NULL
         AND (o.lat, o.lng, o.hidden, complaint_map_group(o.status), o.category_id, o.kecamatan_code)
             IS DISTINCT FROM (n.lat, n.lng, n.hidden, complaint_map_group(n.status), n.category_id, n.kecamatan_code)
      UNION ALL
      SELECT ROW(n.tenant_id, complaint_map_x(n.lng), complaint_map_y(n.lat), n.category_id, coalesce(n.kecamatan_code, ''), complaint_map_group(n.status), 1, n.lat, n.lng)::complaint_map_delta
        FROM complaint_map_old o JOIN complaint_map_new n ON n.tenant_id = o.tenant_id AND n.id = o.id
       WHERE n.lat IS NOT NULL AND NOT n.hidden AND complaint_map_group(n.status) IS NOT NULL
         AND (o.lat, o.lng, o.hidden, complaint_map_group(o.status), o.category_id, o.kecamatan_code)
             IS DISTINCT FROM (n.lat, n.lng, n.hidden, complaint_map_group(n.status), n.category_id, n.kecamatan_code));
  END IF;
  -- Most statements (reports filed, deadlines moved) change nothing on the map.
  IF cardinality(d) > 0 THEN
    PERFORM complaint_map_add(d);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER complaints_map_insert AFTER INSERT ON complaints REFERENCING NEW TABLE AS complaint_map_new
  FOR EACH STATEMENT EXECUTE FUNCTION complaint_map_sync();
CREATE TRIGGER complaints_map_update AFTER UPDATE ON complaints REFERENCING OLD TABLE AS complaint_map_old NEW TABLE AS complaint_map_new
  FOR EACH STATEMENT EXECUTE FUNCTION complaint_map_sync();
CREATE TRIGGER complaints_map_delete AFTER DELETE ON complaints REFERENCING OLD TABLE AS complaint_map_old
  FOR EACH STATEMENT EXECUTE FUNCTION complaint_map_sync();

-- A category turning private (or public again) takes its cells out of (or back into) the totals.
CREATE FUNCTION complaint_map_category_public() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO complaint_map_totals AS m (tenant_id, level, cell_x, cell_y, status_group, reports, sum_lat, sum_lng)
  SELECT c.tenant_id, c.level, c.cell_x, c.cell_y, c.status_group,
         k.s * sum(c.reports)::integer, k.s * sum(c.sum_lat), k.s * sum(c.sum_lng)
    FROM complaint_map_cells c, (SELECT CASE WHEN NEW.public THEN 1 ELSE -1 END AS s) k
   WHERE c.tenant_id = NEW.tenant_id AND c.category_id = NEW.id
   GROUP BY c.tenant_id, c.level, c.cell_x, c.cell_y, c.status_group, k.s
   ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (tenant_id, level, cell_x, cell_y, status_group)
  DO UPDATE SET reports = m.reports + excluded.reports, sum_lat = m.sum_lat + excluded.sum_lat, sum_lng = m.sum_lng + excluded.sum_lng;
  RETURN NULL;
END $$;
CREATE TRIGGER complaint_categories_map_public AFTER UPDATE OF public ON complaint_categories
  FOR EACH ROW WHEN (OLD.public IS DISTINCT FROM NEW.public) EXECUTE FUNCTION complaint_map_category_public();

-- Reports already there (none in a fresh database).
SELECT complaint_map_add(ARRAY(
  SELECT ROW(c.tenant_id, complaint_map_x(c.lng), complaint_map_y(c.lat), c.category_id, coalesce(c.kecamatan_code, ''), complaint_map_group(c.status), 1, c.lat, c.lng)::complaint_map_delta
    FROM complaints c
   WHERE c.lat IS NOT NULL AND NOT c.hidden AND complaint_map_group(c.status) IS NOT NULL));

-- High zoom: the public reports inside a small bounding box (a thin latitude range, lng checked
-- inside the index). The status literals are repeated in the queries so the planner proves the predicate.
-- The sort key and the filters are inside the index: the newest 500 are picked index-only, and
-- only those are read from the table.
CREATE INDEX complaints_map_points_idx ON complaints (tenant_id, lat, lng) INCLUDE (submitted_at, id, category_id, kecamatan_code, status)
  WHERE lat IS NOT NULL AND NOT hidden AND status IN ('verified', 'disposed', 'in_progress', 'needs_info', 'resolved', 'closed', 'reopened');
-- The public list, newest first (and the map's raw path when a period is chosen): public reports
-- only, with what the filters and the map need inside the index.
CREATE INDEX complaints_public_idx ON complaints (tenant_id, submitted_at DESC, id DESC) INCLUDE (category_id, kecamatan_code, status, lat, lng)
  WHERE NOT hidden AND status IN ('verified', 'disposed', 'in_progress', 'needs_info', 'resolved', 'closed', 'reopened');
