-- KPI alerts (issue 10; seed 003 §2.6): evaluated by the ETL after each load, from the warehouse,
-- against thresholds per organisation (the row without an organisation is the default). `days`
-- is the age after which an item counts as late; an alert fires when more than `threshold` are.
CREATE TABLE kpi_threshold (
  organization_id uuid REFERENCES organization(id),
  kpi text NOT NULL CHECK (kpi IN ('INTAKE_WAITING_EVALUATION', 'JUDICIAL_PROPOSALS_UNDECIDED')),
  days integer NOT NULL CHECK (days BETWEEN 0 AND 3650),
  threshold integer NOT NULL DEFAULT 0 CHECK (threshold >= 0),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX kpi_threshold_org_kpi_idx
  ON kpi_threshold ((coalesce(organization_id, '00000000-0000-0000-0000-000000000000'::uuid)), kpi);
-- Intake records proposed for taking into care and waiting more than 30 days for the evaluation;
-- judicial proposals not decided (their legal term is 30 days, migration 011).
INSERT INTO kpi_threshold (organization_id, kpi, days, threshold) VALUES
  (NULL, 'INTAKE_WAITING_EVALUATION', 30, 0),
  (NULL, 'JUDICIAL_PROPOSALS_UNDECIDED', 30, 0);

-- The alerts of the last load, replaced whole by each run.
CREATE TABLE kpi_alert (
  organization_id uuid NOT NULL REFERENCES organization(id),
  kpi text NOT NULL,
  late integer NOT NULL,
  days integer NOT NULL,
  threshold integer NOT NULL,
  evaluated_at timestamptz NOT NULL DEFAULT now(),
  last_change_seq bigint NOT NULL,
  PRIMARY KEY (organization_id, kpi)
);
