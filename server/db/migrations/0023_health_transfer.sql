-- A visit made by transferring a patient from another service of the facility (poli → poli, poli
-- → pharmacy): the queue staff's "rujuk internal". The source visit ends (done) in the same
-- transaction as this one is numbered.
ALTER TABLE health_visits ADD COLUMN transferred_from uuid;
ALTER TABLE health_visits ADD CONSTRAINT health_visits_transferred_from_fk
  FOREIGN KEY (tenant_id, transferred_from) REFERENCES health_visits (tenant_id, id);
-- A visit is transferred at most once (it ends as it is), and the patient's page finds where it went.
CREATE UNIQUE INDEX health_visits_transferred_from_uq ON health_visits (tenant_id, transferred_from) WHERE transferred_from IS NOT NULL;
