-- The public map over a period (e.g. the last 30 days) read from a rollup per day.
--
-- Until now a map with a period counted the reports themselves (complaints_public_idx over the
-- period): fine for a week, ~300 ms for a month of a city with a million reports. complaint_map_days
-- holds, per grid cell at every level 3–17, per local day of submission (in the tenant's zone) and
-- status group, the number of public reports of public categories and the sums of their
-- coordinates: a month of a city is a few thousand rows, whatever the number of reports. It is kept
-- by the same statement triggers as complaint_map_cells and complaint_map_totals. Maps with a period
-- and a category or kecamatan filter still count the reports.

CREATE TABLE complaint_map_days (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  level smallint NOT NULL CHECK (level BETWEEN 3 AND 17),
  day date NOT NULL,
  cell_x integer NOT NULL,
  cell_y integer NOT NULL,
  status_group text NOT NULL CHECK (status_group IN ('verified', 'in_progress', 'resolved')),
  reports integer NOT NULL,
  sum_lat double precision NOT NULL,
  sum_lng double precision NOT NULL,
  PRIMARY KEY (tenant_id, level, day, cell_x, cell_y, status_group)
);

-- A change of the rollup now also knows the local day the report was submitted on.
ALTER TYPE complaint_map_delta ADD ATTRIBUTE day date;

CREATE OR REPLACE FUNCTION complaint_map_add(d complaint_map_delta[]) RETURNS void LANGUAGE sql AS $$
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
  INSERT INTO complaint_map_days AS m (tenant_id, level, day, cell_x, cell_y, status_group, reports, sum_lat, sum_lng)
  SELECT e.tenant_id, l.level, e.day, e.x >> (24 - l.level), e.y >> (24 - l.level), e.status_group,
         sum(e.sign)::integer, sum(e.sign * e.lat), sum(e.sign * e.lng)
    FROM unnest(d) e
    JOIN complaint_categories cat ON cat.tenant_id = e.tenant_id AND cat.id = e.category_id AND cat.public
    CROSS JOIN generate_series(3, 17) AS l (level)
   GROUP BY 1, 2, 3, 4, 5, 6
  HAVING sum(e.sign) <> 0 OR sum(e.sign * e.lat) <> 0 OR sum(e.sign * e.lng) <> 0
   ORDER BY 1, 2, 3, 4, 5, 6
  ON CONFLICT (tenant_id, level, day, cell_x, cell_y, status_group)
  DO UPDATE SET reports = m.reports + excluded.reports, sum_lat = m.sum_lat + excluded.sum_lat, sum_lng = m.sum_lng + excluded.sum_lng;
$$;

-- The local day of submission: the date in the tenant's zone.
CREATE FUNCTION complaint_map_day(tenant uuid, submitted_at timestamptz) RETURNS date LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT (submitted_at AT TIME ZONE (SELECT t.time_zone FROM tenants t WHERE t.id = tenant))::date
$$;

CREATE OR REPLACE FUNCTION complaint_map_sync() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  d complaint_map_delta[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    d := ARRAY(
      SELECT ROW(n.tenant_id, complaint_map_x(n.lng), complaint_map_y(n.lat), n.category_id, coalesce(n.kecamatan_code, ''), complaint_map_group(n.status), 1, n.lat, n.lng,
                 complaint_map_day(n.tenant_id, n.submitted_at))::complaint_map_delta
        FROM complaint_map_new n
       WHERE n.lat IS NOT NULL AND NOT n.hidden AND complaint_map_group(n.status) IS NOT NULL);
  ELSIF TG_OP = 'DELETE' THEN
    d := ARRAY(
      SELECT ROW(o.tenant_id, complaint_map_x(o.lng), complaint_map_y(o.lat), o.category_id, coalesce(o.kecamatan_code, ''), complaint_map_group(o.status), -1, o.lat, o.lng,
                 complaint_map_day(o.tenant_id, o.submitted_at))::complaint_map_delta
        FROM complaint_map_old o
       WHERE o.lat IS NOT NULL AND NOT o.hidden AND complaint_map_group(o.status) IS NOT NULL);
  ELSE
    -- Only rows whose place on the map changed (most updates — deadlines, notes — change none).
    d := ARRAY(
      SELECT ROW(o.tenant_id, complaint_map_x(o.lng), complaint_map_y(o.lat), o.category_id, coalesce(o.kecamatan_code, ''), complaint_map_group(o.status), -1, o.lat, o.lng,
                 complaint_map_day(o.tenant_id, o.submitted_at))::complaint_map_delta
        FROM complaint_map_old o JOIN complaint_map_new n ON n.tenant_id = o.tenant_id AND n.id = o.id
       WHERE o.lat IS NOT NULL AND NOT o.hidden AND complaint_map_group(o.status) IS NOT NULL
         AND (o.lat, o.lng, o.hidden, complaint_map_group(o.status), o.category_id, o.kecamatan_code, o.submitted_at)
             IS DISTINCT FROM (n.lat, n.lng, n.hidden, complaint_map_group(n.status), n.category_id, n.kecamatan_code, n.submitted_at)
      UNION ALL
      SELECT ROW(n.tenant_id, complaint_map_x(n.lng), complaint_map_y(n.lat), n.category_id, coalesce(n.kecamatan_code, ''), complaint_map_group(n.status), 1, n.lat, n.lng,
                 complaint_map_day(n.tenant_id, n.submitted_at))::complaint_map_delta
        FROM complaint_map_old o JOIN complaint_map_new n ON n.tenant_id = o.tenant_id AND n.id = o.id
       WHERE n.lat IS NOT NULL AND NOT n.hidden AND complaint_map_group(n.status) IS NOT NULL
         AND (o.lat, o.lng, o.hidden, complaint_map_group(o.status), o.category_id, o.kecamatan_code, o.submitted_at)
             IS DISTINCT FROM (n.lat, n.lng, n.hidden, complaint_map_group(n.status), n.category_id, n.kecamatan_code, n.submitted_at));
  END IF;
  -- Most statements (reports filed, deadlines moved) change nothing on the map.
  IF cardinality(d) > 0 THEN
    PERFORM complaint_map_add(d);
  END IF;
  RETURN NULL;
END $$;

-- A category turning private (or public again) takes its cells out of (or back into) the totals,
-- and its reports out of (or back into) the days: those are recounted from the reports (an admin's
-- rare change; the category's row lock makes writers of its reports wait).
CREATE OR REPLACE FUNCTION complaint_map_category_public() RETURNS trigger LANGUAGE plpgsql AS $$
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
  INSERT INTO complaint_map_days AS m (tenant_id, level, day, cell_x, cell_y, status_group, reports, sum_lat, sum_lng)
  SELECT c.tenant_id, l.level, complaint_map_day(c.tenant_id, c.submitted_at), complaint_map_x(c.lng) >> (24 - l.level), complaint_map_y(c.lat) >> (24 - l.level),
         complaint_map_group(c.status), k.s * count(*)::integer, k.s * sum(c.lat), k.s * sum(c.lng)
    FROM complaints c
    CROSS JOIN generate_series(3, 17) AS l (level)
    CROSS JOIN (SELECT CASE WHEN NEW.public THEN 1 ELSE -1 END AS s) k
   WHERE c.tenant_id = NEW.tenant_id AND c.category_id = NEW.id
     AND c.lat IS NOT NULL AND NOT c.hidden AND complaint_map_group(c.status) IS NOT NULL
   GROUP BY 1, 2, 3, 4, 5, 6, k.s
   ORDER BY 1, 2, 3, 4, 5, 6
  ON CONFLICT (tenant_id, level, day, cell_x, cell_y, status_group)
  DO UPDATE SET reports = m.reports + excluded.reports, sum_lat = m.sum_lat + excluded.sum_lat, sum_lng = m.sum_lng + excluded.sum_lng;
  RETURN NULL;
END $$;

-- Reports already there, of public categories.
INSERT INTO complaint_map_days (tenant_id, level, day, cell_x, cell_y, status_group, reports, sum_lat, sum_lng)
SELECT c.tenant_id, l.level, complaint_map_day(c.tenant_id, c.submitted_at), complaint_map_x(c.lng) >> (24 - l.level), complaint_map_y(c.lat) >> (24 - l.level),
       complaint_map_group(c.status), count(*)::integer, sum(c.lat), sum(c.lng)
  FROM complaints c
  JOIN complaint_categories cat ON cat.tenant_id = c.tenant_id AND cat.id = c.category_id AND cat.public
  CROSS JOIN generate_series(3, 17) AS l (level)
 WHERE c.lat IS NOT NULL AND NOT c.hidden AND complaint_map_group(c.status) IS NOT NULL
 GROUP BY 1, 2, 3, 4, 5, 6;
