-- The public map's reports in a box (zoom 16 and closer) read by grid column.
--
-- complaints_map_points_idx began with latitude: a box read every public report in its latitude
-- band across the whole city and dropped those outside its longitudes (at a million reports a
-- street-level box read ~20,000 index entries to show a few hundred). This index begins with the
-- report's grid column at level 17 (a tile of zoom 17, about 300 m wide), so a box reads, for each
-- of the few columns it covers, only its latitude range. It also includes the tracking code, so a
-- box's pins (code, position, status, category, date) come from the index alone, without reading
-- the reports. Same partial predicate, and it replaces the old index (one index to maintain on
-- intake, not two).
CREATE INDEX complaints_map_columns_idx ON complaints (tenant_id, (complaint_map_x(lng) >> 7), lat)
  INCLUDE (lng, submitted_at, id, tracking_code, category_id, kecamatan_code, status)
  WHERE lat IS NOT NULL AND NOT hidden AND status IN ('verified', 'disposed', 'in_progress', 'needs_info', 'resolved', 'closed', 'reopened');

DROP INDEX complaints_map_points_idx;
