-- Visits still open (booked, checked in, called, being served), by day: the end-of-day sweep
-- closes those of past days.
CREATE INDEX health_visits_open_idx ON health_visits (tenant_id, day) WHERE status IN ('booked', 'checked_in', 'called', 'serving');
