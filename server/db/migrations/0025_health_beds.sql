-- Hospital beds and inpatient admission (server/modules/health/inpatient): wards, rooms by class
-- and their beds; availability is counted from the beds' occupancy, never typed; an admission
-- takes one free bed atomically, a transfer moves it, a discharge frees it.

-- A ward (bangsal / instalasi rawat inap) of a hospital.
CREATE TABLE health_wards (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  facility_id uuid NOT NULL,
  name text NOT NULL CHECK (length(name) BETWEEN 2 AND 80),
  sort_order smallint NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, facility_id, name),
  FOREIGN KEY (tenant_id, facility_id) REFERENCES health_facilities (tenant_id, unit_id)
);

-- A room of a ward, of one bed class, for men, women or either.
CREATE TABLE health_rooms (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  ward_id uuid NOT NULL,
  facility_id uuid NOT NULL,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
  bed_class text NOT NULL CHECK (bed_class IN ('vvip', 'vip', 'kelas_1', 'kelas_2', 'kelas_3', 'icu', 'nicu', 'picu', 'isolasi')),
  sex text NOT NULL DEFAULT 'any' CHECK (sex IN ('any', 'male', 'female')),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, ward_id, name),
  FOREIGN KEY (tenant_id, ward_id) REFERENCES health_wards (tenant_id, id)
);

-- A bed. `admission_id` is the admission lying in it (null: free); taking a bed is a conditional
-- UPDATE … WHERE admission_id IS NULL, so two admissions never get one bed. `changed_at` is when
-- its occupancy last changed (the "updated" time of the public availability).
CREATE TABLE health_beds (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  room_id uuid NOT NULL,
  facility_id uuid NOT NULL,
  bed_class text NOT NULL,
  code text NOT NULL CHECK (length(code) BETWEEN 1 AND 20),
  out_of_service boolean NOT NULL DEFAULT false,
  admission_id uuid,
  changed_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, room_id, code),
  CONSTRAINT health_beds_admission_uq UNIQUE (tenant_id, admission_id),
  FOREIGN KEY (tenant_id, room_id) REFERENCES health_rooms (tenant_id, id),
  CHECK (NOT (out_of_service AND admission_id IS NOT NULL))
);
-- Availability per facility and class, and the free beds of a class to choose from.
CREATE INDEX health_beds_class_idx ON health_beds (tenant_id, facility_id, bed_class) INCLUDE (admission_id, out_of_service, changed_at);

-- An inpatient stay. One open admission per patient; the bed it holds is on health_beds.
CREATE TABLE health_admissions (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  facility_id uuid NOT NULL,
  patient_id uuid NOT NULL,
  status text NOT NULL CHECK (status IN ('admitted', 'discharged')),
  -- How the patient came: a referral (rujukan) from a puskesmas or another hospital, an online
  -- pre-registration, or the emergency department.
  source text NOT NULL CHECK (source IN ('referral', 'preregistration', 'emergency')),
  referral_from text CHECK (length(referral_from) <= 120),
  referral_number text CHECK (length(referral_number) <= 40),
  request_id uuid,
  bed_class text NOT NULL,
  diagnosis text CHECK (length(diagnosis) <= 300),
  admitted_at timestamptz NOT NULL,
  admitted_by uuid,
  discharged_at timestamptz,
  discharge_type text CHECK (discharge_type IN ('home', 'referred', 'against_advice', 'deceased')),
  discharged_by uuid,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, patient_id) REFERENCES health_patients (tenant_id, id),
  CHECK ((status = 'discharged') = (discharged_at IS NOT NULL AND discharge_type IS NOT NULL)),
  CHECK (source <> 'referral' OR referral_from IS NOT NULL)
);
CREATE UNIQUE INDEX health_admissions_open_uq ON health_admissions (tenant_id, patient_id) WHERE status = 'admitted';
CREATE INDEX health_admissions_facility_idx ON health_admissions (tenant_id, facility_id, status, admitted_at DESC);
ALTER TABLE health_beds ADD CONSTRAINT health_beds_admission_fk FOREIGN KEY (tenant_id, admission_id) REFERENCES health_admissions (tenant_id, id);

-- Every bed an admission held, in order (admission, transfers, discharge closes the last).
CREATE TABLE health_bed_stays (
  tenant_id uuid NOT NULL,
  admission_id uuid NOT NULL,
  seq smallint NOT NULL,
  bed_id uuid NOT NULL,
  from_at timestamptz NOT NULL,
  to_at timestamptz,
  PRIMARY KEY (tenant_id, admission_id, seq),
  FOREIGN KEY (tenant_id, admission_id) REFERENCES health_admissions (tenant_id, id),
  FOREIGN KEY (tenant_id, bed_id) REFERENCES health_beds (tenant_id, id)
);

-- A resident's online pre-registration for an inpatient stay (with the referral letter's number),
-- waiting for the hospital's admission desk.
CREATE TABLE health_inpatient_requests (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  facility_id uuid NOT NULL,
  patient_id uuid NOT NULL,
  bed_class text NOT NULL CHECK (bed_class IN ('vvip', 'vip', 'kelas_1', 'kelas_2', 'kelas_3', 'icu', 'nicu', 'picu', 'isolasi')),
  planned_on date NOT NULL,
  referral_from text CHECK (length(referral_from) <= 120),
  referral_number text CHECK (length(referral_number) <= 40),
  note text CHECK (length(note) <= 500),
  status text NOT NULL CHECK (status IN ('pending', 'admitted', 'cancelled')),
  requested_by uuid NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, patient_id) REFERENCES health_patients (tenant_id, id),
  FOREIGN KEY (tenant_id, facility_id) REFERENCES health_facilities (tenant_id, unit_id)
);
CREATE UNIQUE INDEX health_inpatient_requests_open_uq ON health_inpatient_requests (tenant_id, patient_id, facility_id) WHERE status = 'pending';
CREATE INDEX health_inpatient_requests_facility_idx ON health_inpatient_requests (tenant_id, facility_id, status, planned_on);
ALTER TABLE health_admissions ADD CONSTRAINT health_admissions_request_fk FOREIGN KEY (tenant_id, request_id) REFERENCES health_inpatient_requests (tenant_id, id);

-- The admission desk's role for tenants provisioned before it (new tenants get it from SYSTEM_ROLES).
INSERT INTO roles (tenant_id, id, key, name, description, permissions, system, created_at)
SELECT t.id, gen_random_uuid(), 'health_admission', 'Petugas admisi rawat inap', 'Rumah sakit: menerima pasien rawat inap, memilih tempat tidur, memindahkan dan memulangkan pasien.', ARRAY['health.patients.register', 'health.inpatient.manage'], true, now()
  FROM tenants t
ON CONFLICT (tenant_id, key) DO NOTHING;
UPDATE roles SET permissions = permissions || ARRAY['health.inpatient.manage']
 WHERE key IN ('admin', 'health_admin') AND system AND NOT ('health.inpatient.manage' = ANY (permissions));
