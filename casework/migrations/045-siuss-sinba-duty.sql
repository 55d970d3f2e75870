-- The SINBA side of the SIUSS duty (SINBA.xsd, issue 9): a minor in the care of the social
-- services is reported to INPS with the SInBA assessment of the case file (the minor's condition,
-- family, the services received, the court measures). Each SInBA assessment is one record, due
-- within 3 months of the assessment like a delivery's; SINBA knows no TipoOperazione, so a later
-- assessment is a new record, never a variation. Its flows are siuss_flow rows of kind SINBA.
CREATE TABLE siuss_sinba_duty (
  assessment_id uuid PRIMARY KEY REFERENCES assessment(id),
  organization_id uuid NOT NULL REFERENCES organization(id),
  office_id uuid NOT NULL REFERENCES office(id),
  person_id uuid NOT NULL REFERENCES person(id),
  case_file_id uuid NOT NULL REFERENCES case_file(id),
  assessed_on date NOT NULL,
  deadline date NOT NULL,
  state text NOT NULL CHECK (state IN ('DUE', 'IN_FLOW', 'SENT', 'ACCEPTED', 'REJECTED')),
  -- The flow that carries (or carried last) its record.
  flow_id text REFERENCES siuss_flow(id),
  rejection_code text,
  rejection_reason text,
  -- The pre-validation or schema issues that keep its record out of any flow.
  issues jsonb,
  accepted_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX siuss_sinba_duty_org_idx ON siuss_sinba_duty (organization_id, state, deadline);
CREATE INDEX siuss_sinba_duty_flow_idx ON siuss_sinba_duty (flow_id);
