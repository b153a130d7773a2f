-- Complaints inbox (server/modules/complaints/inbox): Indonesian full-text search over the
-- description, the address and the public answers; whether a report was answered late; indexes of
-- the unit statistics and the public transparency page.

-- Public answers of a report (public follow-up notes and the resolution answer), kept by the
-- trigger below from complaint_events, so that the search vector can be a generated column.
ALTER TABLE complaints ADD COLUMN search_answers text;
-- Whether the last resolution came after the due time of the resolution stage (NULL: not resolved,
-- or resolved without a running deadline). Set by the trigger below when resolved_at changes.
ALTER TABLE complaints ADD COLUMN resolved_late boolean;

-- Weighted: description (A), address (B), answers (C). The `indonesian` configuration stems
-- affixes (berlubang → lubang, perbaikan → baik, ditambal → tambal).
ALTER TABLE complaints ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('indonesian', description), 'A')
  || setweight(to_tsvector('indonesian', coalesce(address, '')), 'B')
  || setweight(to_tsvector('indonesian', coalesce(search_answers, '')), 'C')
) STORED;
-- fastupdate off: the embedded database has no autovacuum to merge a pending list, and scanning a
-- 4 MB pending list costs ~100 ms per search; direct GIN inserts keep searches and intake latency steady.
CREATE INDEX complaints_search_idx ON complaints USING gin (search_vector) WITH (fastupdate = off);

CREATE FUNCTION complaints_refresh_answers() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  t uuid;
  c uuid;
BEGIN
  IF TG_OP = 'DELETE' THEN
    t := OLD.tenant_id; c := OLD.complaint_id;
  ELSE
    t := NEW.tenant_id; c := NEW.complaint_id;
    -- Internal entries and entries without text never change the public answers.
    IF TG_OP = 'INSERT' AND (NEW.internal OR NEW.note IS NULL) THEN
      RETURN NULL;
    END IF;
  END IF;
  UPDATE complaints SET search_answers = (
    SELECT string_agg(e.note, E'\n' ORDER BY e.at, e.id) FROM complaint_events e
     WHERE e.tenant_id = t AND e.complaint_id = c AND NOT e.internal AND e.note IS NOT NULL
  ) WHERE tenant_id = t AND id = c;
  RETURN NULL;
END $$;
CREATE TRIGGER complaint_events_answers AFTER INSERT OR DELETE OR UPDATE OF note, internal ON complaint_events
  FOR EACH ROW EXECUTE FUNCTION complaints_refresh_answers();

CREATE FUNCTION complaints_mark_late() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.resolved_at IS NULL THEN
    NEW.resolved_late := NULL;
  ELSIF TG_OP = 'INSERT' OR NEW.resolved_at IS DISTINCT FROM OLD.resolved_at THEN
    NEW.resolved_late := CASE WHEN TG_OP = 'UPDATE' AND OLD.due_at IS NOT NULL THEN NEW.resolved_at > OLD.due_at END;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER complaints_resolved_late BEFORE INSERT OR UPDATE OF resolved_at ON complaints
  FOR EACH ROW EXECUTE FUNCTION complaints_mark_late();

-- Existing reports: their public answers.
UPDATE complaints c SET search_answers = a.answers
  FROM (SELECT tenant_id, complaint_id, string_agg(note, E'\n' ORDER BY at, id) AS answers
          FROM complaint_events WHERE NOT internal AND note IS NOT NULL GROUP BY tenant_id, complaint_id) a
 WHERE a.tenant_id = c.tenant_id AND a.complaint_id = c.id;

-- Statistics and transparency read a period of reports by submission time; the covering columns
-- let PostgreSQL answer from the index alone (index-only scan) instead of visiting the heap.
CREATE INDEX complaints_period_idx ON complaints (tenant_id, submitted_at)
  INCLUDE (unit_id, category_id, status, resolved_at, resolved_late, due_at, rating);

-- The public transparency page, computed at most every few minutes per tenant and period: over a
-- year of a large city (300,000 reports) the aggregate takes ~1.5 s, too much for every visitor.
-- A table, not process memory, so that every app process serves the same figures.
CREATE TABLE complaint_transparency_cache (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  days integer NOT NULL CHECK (days > 0),
  computed_at timestamptz NOT NULL,
  body jsonb NOT NULL,
  PRIMARY KEY (tenant_id, days)
);
