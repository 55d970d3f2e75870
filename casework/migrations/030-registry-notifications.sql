-- Registry change notifications (ANPR C001): each processed once, the person updated with the
-- field's source, and a notice to each operator of the person's open case files.
ALTER TABLE person ADD COLUMN death_date date;

-- One row per notification id: the primary key is what makes a duplicate a no-op.
CREATE TABLE registry_notification (
  id text PRIMARY KEY,
  source text NOT NULL DEFAULT 'ANPR' CHECK (source IN ('ANPR', 'MUNICIPAL_REGISTRY')),
  kind text NOT NULL CHECK (kind IN ('CAMBIO_RESIDENZA', 'DECESSO', 'NUOVO_COMPONENTE')),
  event_date date NOT NULL,
  tax_code char(16),
  person_id uuid REFERENCES person(id),
  -- false: the person is not in the hub, or a later change of them was applied already (stale).
  applied boolean NOT NULL,
  stale boolean NOT NULL DEFAULT false,
  processed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX registry_notification_tax_code_idx ON registry_notification (tax_code, event_date) WHERE applied;

-- Where each feed stands (C001: the last idOperazioneClient whose batch was processed).
CREATE TABLE registry_feed_state (
  feed text PRIMARY KEY,
  last_operation_id bigint NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE person_change_notice (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  notification_id text NOT NULL REFERENCES registry_notification(id),
  person_id uuid NOT NULL REFERENCES person(id),
  case_file_id uuid NOT NULL REFERENCES case_file(id),
  operator_id uuid NOT NULL REFERENCES operator(id),
  kind text NOT NULL,
  -- In Italian, as the operator reads it.
  summary text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  read_at timestamptz,
  UNIQUE (notification_id, case_file_id, operator_id)
);
CREATE INDEX person_change_notice_unread_idx ON person_change_notice (operator_id) WHERE read_at IS NULL;
