-- e-Farmasi (server/modules/health/pharmacy): the tenant's drug catalogue, each facility's stock by
-- batch with its expiry, prescriptions written at a visit and dispensed by the pharmacy, and the
-- stock ledger of every receipt, dispensing and adjustment.

-- The drug catalogue of the tenant (Dinas Kesehatan's list, after the Formularium Nasional).
CREATE TABLE health_drugs (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  code text NOT NULL CHECK (code ~ '^[A-Z0-9][A-Z0-9-]{1,29}$'),
  name text NOT NULL CHECK (length(name) BETWEEN 3 AND 120),
  form text NOT NULL CHECK (form IN ('tablet', 'kapsul', 'kaplet', 'sirup', 'suspensi', 'salep', 'krim', 'tetes', 'injeksi', 'serbuk', 'inhaler', 'lainnya')),
  -- The unit stock and prescriptions are counted in (tablet, botol, tube, sachet…).
  unit text NOT NULL CHECK (length(unit) BETWEEN 2 AND 20),
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, code)
);
CREATE INDEX health_drugs_name_idx ON health_drugs (tenant_id, lower(name));

-- A facility's stock of a drug: the on-hand total of its batches (kept in the same transaction as
-- every batch change) and the level under which the pharmacy is warned.
CREATE TABLE health_stock (
  tenant_id uuid NOT NULL,
  facility_id uuid NOT NULL,
  drug_id uuid NOT NULL,
  on_hand integer NOT NULL DEFAULT 0 CHECK (on_hand >= 0),
  min_stock integer NOT NULL DEFAULT 0 CHECK (min_stock >= 0),
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, facility_id, drug_id),
  FOREIGN KEY (tenant_id, facility_id) REFERENCES health_facilities (tenant_id, unit_id),
  FOREIGN KEY (tenant_id, drug_id) REFERENCES health_drugs (tenant_id, id)
);

-- A received batch (nomor bets) with its expiry. Quantity never goes below zero: dispensing takes
-- the batches of a drug under row locks, earliest expiry first.
CREATE TABLE health_stock_batches (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  facility_id uuid NOT NULL,
  drug_id uuid NOT NULL,
  batch_no text NOT NULL CHECK (batch_no ~ '^[A-Za-z0-9][A-Za-z0-9./-]{0,39}$'),
  expires_on date NOT NULL,
  quantity integer NOT NULL CHECK (quantity >= 0),
  received_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, facility_id, drug_id, batch_no),
  FOREIGN KEY (tenant_id, facility_id, drug_id) REFERENCES health_stock (tenant_id, facility_id, drug_id)
);
-- Earliest expiry first among the batches still holding stock.
CREATE INDEX health_stock_batches_fefo_idx ON health_stock_batches (tenant_id, facility_id, drug_id, expires_on, id) WHERE quantity > 0;
-- Near-expiry alerts of a facility.
CREATE INDEX health_stock_batches_expiry_idx ON health_stock_batches (tenant_id, facility_id, expires_on) WHERE quantity > 0;

-- A prescription written at a visit; the pharmacy dispenses it whole.
CREATE TABLE health_prescriptions (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  facility_id uuid NOT NULL,
  visit_id uuid NOT NULL,
  patient_id uuid NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'dispensed', 'cancelled')),
  note text CHECK (length(note) <= 500),
  prescribed_by uuid NOT NULL,
  prescriber_name text NOT NULL,
  created_at timestamptz NOT NULL,
  dispensed_at timestamptz,
  dispensed_by uuid,
  PRIMARY KEY (tenant_id, id),
  -- One prescription per visit (staff correct it before it is dispensed).
  CONSTRAINT health_prescriptions_visit_uq UNIQUE (tenant_id, visit_id),
  FOREIGN KEY (tenant_id, visit_id) REFERENCES health_visits (tenant_id, id),
  FOREIGN KEY (tenant_id, patient_id) REFERENCES health_patients (tenant_id, id),
  CHECK ((status = 'dispensed') = (dispensed_at IS NOT NULL))
);
-- The pharmacy's list: pending first, by the day they were written.
CREATE INDEX health_prescriptions_facility_idx ON health_prescriptions (tenant_id, facility_id, status, created_at);
CREATE INDEX health_prescriptions_patient_idx ON health_prescriptions (tenant_id, patient_id, created_at DESC);

CREATE TABLE health_prescription_items (
  tenant_id uuid NOT NULL,
  prescription_id uuid NOT NULL,
  line smallint NOT NULL CHECK (line BETWEEN 1 AND 20),
  drug_id uuid NOT NULL,
  dose text NOT NULL CHECK (length(dose) BETWEEN 3 AND 120),
  quantity integer NOT NULL CHECK (quantity BETWEEN 1 AND 1000),
  PRIMARY KEY (tenant_id, prescription_id, line),
  UNIQUE (tenant_id, prescription_id, drug_id),
  FOREIGN KEY (tenant_id, prescription_id) REFERENCES health_prescriptions (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, drug_id) REFERENCES health_drugs (tenant_id, id)
);

-- The stock ledger: every change of a batch, signed (receipts +, dispensing and write-offs −).
CREATE TABLE health_stock_moves (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  facility_id uuid NOT NULL,
  drug_id uuid NOT NULL,
  batch_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('receipt', 'dispense', 'adjustment')),
  quantity integer NOT NULL CHECK (quantity <> 0),
  balance integer NOT NULL CHECK (balance >= 0),
  reason text CHECK (length(reason) <= 300),
  prescription_id uuid,
  actor_id uuid,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, batch_id) REFERENCES health_stock_batches (tenant_id, id),
  FOREIGN KEY (tenant_id, prescription_id) REFERENCES health_prescriptions (tenant_id, id),
  CHECK ((kind = 'dispense') = (prescription_id IS NOT NULL)),
  CHECK (kind <> 'adjustment' OR reason IS NOT NULL)
);
CREATE INDEX health_stock_moves_drug_idx ON health_stock_moves (tenant_id, facility_id, drug_id, created_at DESC);

-- Roles of e-Farmasi for tenants provisioned before it (new tenants get them from SYSTEM_ROLES).
INSERT INTO roles (tenant_id, id, key, name, description, permissions, system, created_at)
SELECT t.id, gen_random_uuid(), r.key, r.name, r.description, r.permissions, true, now()
  FROM tenants t
 CROSS JOIN (VALUES
   ('health_clinician', 'Dokter/perawat poli', 'Tenaga kesehatan di poli: melayani antrean poli dan menulis resep elektronik.', ARRAY['health.queue.operate', 'health.prescribe']),
   ('health_pharmacist', 'Apoteker/petugas farmasi', 'Farmasi puskesmas/rumah sakit: melayani antrean farmasi, menyerahkan obat, menerima dan menyesuaikan stok.', ARRAY['health.queue.operate', 'health.pharmacy.dispense', 'health.pharmacy.stock'])
 ) AS r(key, name, description, permissions)
ON CONFLICT (tenant_id, key) DO NOTHING;
UPDATE roles SET permissions = permissions || ARRAY['health.prescribe', 'health.pharmacy.dispense', 'health.pharmacy.stock']
 WHERE key = 'admin' AND system AND NOT ('health.prescribe' = ANY (permissions));
UPDATE roles SET permissions = permissions || ARRAY['health.pharmacy.stock']
 WHERE key = 'health_admin' AND system AND NOT ('health.pharmacy.stock' = ANY (permissions));
