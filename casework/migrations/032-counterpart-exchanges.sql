-- The interoperability half in the store: the audit of every exchange with a counterpart (ANPR,
-- INPS, the health registry, the municipal registry), the run history of the synchronisation
-- jobs, and the outbox of outgoing transmissions. Kept here, a restart loses none of them.

-- Who asked what about whom, why, when, and how it went. The subject is named by its codice
-- fiscale (what was asked) and, when the hub holds the person, by its id; nothing of the answer
-- is kept here, and never a token or a key.
CREATE TABLE counterpart_exchange (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  counterpart text NOT NULL CHECK (counterpart IN ('anpr', 'isee', 'health-registry', 'municipal-registry')),
  -- The e-service or operation: C020, ConsultazioneIndicatore, GetProfiloSanitario…
  service text NOT NULL,
  actor_kind text NOT NULL CHECK (actor_kind IN ('OPERATOR', 'CLIENT', 'SYSTEM')),
  actor_id text NOT NULL,
  organization_id uuid REFERENCES organization(id),
  -- motivoRichiesta: the practice or protocol the look-up is for.
  reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 256),
  subject_tax_code char(16),
  person_id uuid REFERENCES person(id),
  case_file_id uuid REFERENCES case_file(id),
  -- The counterpart's id of the operation (ANPR idOperazioneANPR, INPS IdRichiesta).
  remote_operation_id text,
  -- OK, or the code of the failure (COUNTERPART_TIMEOUT, CIRCUIT_OPEN, SUBJECT_NOT_FOUND…).
  outcome text NOT NULL,
  duration_ms integer NOT NULL CHECK (duration_ms >= 0)
);
CREATE INDEX counterpart_exchange_at_idx ON counterpart_exchange (counterpart, at DESC);
CREATE INDEX counterpart_exchange_person_idx ON counterpart_exchange (person_id) WHERE person_id IS NOT NULL;
CREATE INDEX counterpart_exchange_tax_code_idx ON counterpart_exchange (subject_tax_code) WHERE subject_tax_code IS NOT NULL;

-- One row per run of a synchronisation job (C001 pull, registry download…), as the connectors'
-- scheduler records it.
CREATE TABLE sync_run (
  id bigserial PRIMARY KEY,
  job text NOT NULL,
  trigger text NOT NULL CHECK (trigger IN ('schedule', 'manual')),
  started_at timestamptz NOT NULL,
  finished_at timestamptz,
  outcome text NOT NULL CHECK (outcome IN ('running', 'ok', 'failed', 'skipped')),
  counts jsonb NOT NULL DEFAULT '{}',
  error text
);
CREATE INDEX sync_run_job_idx ON sync_run (job, started_at DESC, id DESC);

-- Outgoing transmissions: recorded first, sent with their id as Idempotency-Key, marked sent on
-- the counterpart's receipt (resilience/outbox.ts of the connectors).
CREATE TABLE outbox_message (
  id text PRIMARY KEY,
  destination text NOT NULL,
  payload text NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT 'epoch',
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'dead')),
  last_error text,
  receipt text,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz
);
CREATE INDEX outbox_message_due_idx ON outbox_message (next_attempt_at, created_at) WHERE status = 'pending';
