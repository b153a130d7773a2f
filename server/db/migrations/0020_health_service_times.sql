-- The measured service times of estimates: a service's last finished visits, newest first.
CREATE INDEX health_visits_finished_idx ON health_visits (tenant_id, service_id, finished_at DESC) WHERE finished_at IS NOT NULL;
