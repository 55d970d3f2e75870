-- The SIUSS reporting duty (seed 003 §2.4, issue 9): every delivery of an intervention that INPS
-- requires (intervention.siuss_required) must reach SIUSS within 3 months. Each such delivery has
-- one duty row with its state; the flows that carry the records to INPS, by either route (the
-- WaaS pull: one beneficiary and one benefit per flow; the file for INPS's web application: many),
-- keep the XML exactly as it left, its validation report and INPS's outcome.

-- Who sends for an organisation: IdentificazioneFlusso/Ente (PS_PSA_SINA201812.xsd EnteType).
CREATE TABLE siuss_sender (
  organization_id uuid PRIMARY KEY REFERENCES organization(id),
  -- Codice Ente as INPS's access system knows it; the WaaS codice_ente (Belfiore, ^[A-Z][0-9]{3}$).
  ente_code text NOT NULL CHECK (ente_code ~ '^[A-Z][0-9]{3}$'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  -- Belfiore code of the legal seat (EnteType Indirizzo).
  seat_cadastral_code char(4) NOT NULL CHECK (seat_cadastral_code ~ '^[A-Z][0-9]{3}$'),
  -- EnteType CFOperatore: the operator responsible for the transmission.
  operator_tax_code text NOT NULL CHECK (operator_tax_code ~ '^[A-Z0-9]{11,16}$'),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE siuss_flow (
  -- IdentificazioneFlusso Nome and WaaS id_flusso: EEEE.PS.AAAAMMGG.NNNNNNN.
  id text PRIMARY KEY CHECK (length(id) <= 50),
  organization_id uuid NOT NULL REFERENCES organization(id),
  kind text NOT NULL CHECK (kind IN ('PS_PSA_SINA', 'SINBA')),
  route text NOT NULL CHECK (route IN ('WAAS', 'FILE')),
  -- VALID flows are offered (WaaS) or downloadable (file); INVALID ones never leave.
  -- WITHDRAWN: valid but no longer wanted before it left (its record was corrected meanwhile).
  status text NOT NULL CHECK (status IN ('INVALID', 'VALID', 'WITHDRAWN', 'SENT', 'ACCEPTED', 'REJECTED')),
  records integer NOT NULL CHECK (records >= 0),
  xml text NOT NULL,
  report jsonb NOT NULL DEFAULT '[]',
  -- ts_flusso in milliseconds: unique and increasing per organisation, so that INPS's `since`
  -- never skips a flow that shares a millisecond with the last one it took.
  ts_ms bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  changed_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz,
  -- INPS's outcome (POST /esiti): codice_esito, descrizione_esito, id_acquisizione_siuss.
  outcome_code text CHECK (outcome_code IN ('OK', 'DATI_NON_TROVATI', 'RICHIESTA_INVALIDA', 'ERRORE_GENERICO')),
  outcome_description text,
  siuss_acquisition_id text,
  acquired_at timestamptz,
  outcome_at timestamptz,
  UNIQUE (organization_id, ts_ms)
);
CREATE INDEX siuss_flow_offer_idx ON siuss_flow (ts_ms) WHERE status <> 'INVALID' AND status <> 'WITHDRAWN';

-- One duty per delivery INPS requires. `held_by_inps`: INPS holds an accepted insertion for it
-- that no accepted cancellation has withdrawn; a correction's insertion waits until the corrected
-- delivery's record is no longer held, so a benefit is never counted twice.
CREATE TABLE siuss_duty (
  delivery_id uuid PRIMARY KEY REFERENCES delivery(id),
  organization_id uuid NOT NULL REFERENCES organization(id),
  office_id uuid NOT NULL REFERENCES office(id),
  person_id uuid NOT NULL REFERENCES person(id),
  delivered_on date NOT NULL,
  deadline date NOT NULL,
  state text NOT NULL CHECK (state IN ('DUE', 'IN_FLOW', 'SENT', 'ACCEPTED', 'REJECTED', 'CORRECTED', 'CANCELLED')),
  -- The record the duty sends next (or sent last): an insertion, an insertion that replaces the
  -- corrected delivery's record (VARIATION), or the cancellation of the record INPS holds.
  operation text NOT NULL CHECK (operation IN ('INSERT', 'VARIATION', 'CANCEL')),
  held_by_inps boolean NOT NULL DEFAULT false,
  -- The delivery this one corrects (its record must be cancelled first) / that corrects this one.
  corrects_delivery_id uuid REFERENCES delivery(id),
  superseded boolean NOT NULL DEFAULT false,
  flow_id text REFERENCES siuss_flow(id),
  rejection_code text,
  rejection_reason text,
  -- The pre-validation or schema issues that keep its record out of any flow.
  issues jsonb,
  accepted_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX siuss_duty_office_idx ON siuss_duty (organization_id, office_id, state, deadline);
CREATE INDEX siuss_duty_flow_idx ON siuss_duty (flow_id);

-- Which records a flow carries (a file flow: many), with the operation each was sent as.
CREATE TABLE siuss_flow_record (
  flow_id text NOT NULL REFERENCES siuss_flow(id),
  ordinal integer NOT NULL CHECK (ordinal >= 0),
  delivery_id uuid NOT NULL REFERENCES delivery(id),
  operation text NOT NULL CHECK (operation IN ('I', 'C')),
  PRIMARY KEY (flow_id, ordinal)
);
CREATE INDEX siuss_flow_record_delivery_idx ON siuss_flow_record (delivery_id);
