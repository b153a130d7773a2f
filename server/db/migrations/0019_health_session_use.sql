-- Health: each session's use kept in the day's counter row, so a registration batch reads it with
-- the lock it takes anyway, instead of counting the day's visits under that lock (a poli taking
-- thousands of registrations a day counted them all on every batch).
--
-- online[s] / onsite[s]: visits of session s registered per channel, cancelled ones taken off
-- again (the quota); closed[s]: visits finished or skipped as no-shows. What still waits in a
-- session is online + onsite - closed. Every change of them updates this row, so it is made under
-- the row's lock, like the numbers.
ALTER TABLE health_queue_days
  ADD COLUMN online integer[] NOT NULL DEFAULT '{0,0,0,0,0,0,0,0,0}',
  ADD COLUMN onsite integer[] NOT NULL DEFAULT '{0,0,0,0,0,0,0,0,0}',
  ADD COLUMN closed integer[] NOT NULL DEFAULT '{0,0,0,0,0,0,0,0,0}',
  ADD CONSTRAINT health_queue_days_use_check CHECK (
    cardinality(online) = 9 AND cardinality(onsite) = 9 AND cardinality(closed) = 9
    AND 0 <= ALL (online) AND 0 <= ALL (onsite) AND 0 <= ALL (closed));

UPDATE health_queue_days q
   SET online = u.online, onsite = u.onsite, closed = u.closed
  FROM (SELECT d.tenant_id, d.service_id, d.day,
               array_agg(coalesce(v.online, 0) ORDER BY s) AS online,
               array_agg(coalesce(v.onsite, 0) ORDER BY s) AS onsite,
               array_agg(coalesce(v.closed, 0) ORDER BY s) AS closed
          FROM health_queue_days d
          CROSS JOIN generate_series(1, 9) AS s
          LEFT JOIN (SELECT tenant_id, service_id, day, session,
                            count(*) FILTER (WHERE channel = 'online' AND status <> 'cancelled')::int AS online,
                            count(*) FILTER (WHERE channel = 'onsite' AND status <> 'cancelled')::int AS onsite,
                            count(*) FILTER (WHERE status IN ('done', 'no_show'))::int AS closed
                       FROM health_visits GROUP BY 1, 2, 3, 4) v
            ON v.tenant_id = d.tenant_id AND v.service_id = d.service_id AND v.day = d.day AND v.session = s
         GROUP BY 1, 2, 3) u
 WHERE q.tenant_id = u.tenant_id AND q.service_id = u.service_id AND q.day = u.day;

-- Sessions' use is counted above now; the queue lists walk the day's numbers (health_visits_number_uq).
DROP INDEX health_visits_session_idx;

-- Mass services (a hospital pharmacy, a vaccination day) take more than 999 a session.
ALTER TABLE health_service_sessions DROP CONSTRAINT health_service_sessions_quota_check;
ALTER TABLE health_service_sessions ADD CONSTRAINT health_service_sessions_quota_check CHECK (quota BETWEEN 1 AND 20000);

-- A large hospital names more polis than two letters allow.
ALTER TABLE health_services DROP CONSTRAINT health_services_queue_prefix_check;
ALTER TABLE health_services ADD CONSTRAINT health_services_queue_prefix_check CHECK (queue_prefix ~ '^[A-Z]{1,3}$');
