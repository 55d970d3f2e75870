-- Front desk (Segretariato sociale / Ufficio della Cittadinanza): the intake record (scheda di
-- accesso), seed 003 section 1.2, and the coded lists it needs: the service catalog
-- (nomenclatore) and the need codes (bisogni espressi). Codes are loaded from
-- casework/data/reference/ by src/service-catalog/ (sourced rows only); this file holds no codes.

-- Service catalog (ServiceCatalog / nomenclatore). One row per version of a code: a code that
-- changes gets a new row and the old one a valid_to. valid_from NULL means "no known start"
-- (the public sources give no dates). Standard schemes come from a cited source; regional custom
-- codes are added by an administrator and always map to a standard code (maps_to_id).
CREATE TABLE service_catalog (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  scheme text NOT NULL CHECK (scheme ~ '^[A-Z][A-Z0-9_]{1,63}$'),
  code text NOT NULL CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$'),
  version integer NOT NULL DEFAULT 1 CHECK (version > 0),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  description text,
  -- Group in the source's own hierarchy (e.g. the A1/A2/A3 prefix of the INPS list) and the
  -- parent code for deeper custom hierarchies (SISO's codice_1..4).
  category text,
  parent_code text,
  -- Aggregates such as "servizi per tutti" classify but cannot be requested.
  requestable boolean NOT NULL DEFAULT true,
  valid_from date,
  valid_to date,
  source text NOT NULL CHECK (length(source) > 0),
  source_note text,
  region_code text REFERENCES region(code),
  maps_to_id uuid REFERENCES service_catalog(id),
  created_by uuid REFERENCES operator(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  -- Lower-case, accent-free text searched by words (the catalog is small: a scan is enough).
  search_text text GENERATED ALWAYS AS (
    translate(lower(code || ' ' || title || ' ' || coalesce(description, '') || ' ' || coalesce(category, '')),
              'àáâäèéêëìíîïòóôöùúûü', 'aaaaeeeeiiiioooouuuu')) STORED,
  CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_to > valid_from),
  CHECK ((scheme = 'REGIONAL_CUSTOM') = (maps_to_id IS NOT NULL)),
  CHECK (scheme <> 'REGIONAL_CUSTOM' OR region_code IS NOT NULL),
  UNIQUE NULLS NOT DISTINCT (code, valid_from)
);
CREATE INDEX service_catalog_code_idx ON service_catalog (code, valid_from);
CREATE INDEX service_catalog_scheme_idx ON service_catalog (scheme, category, code);

-- Needs (bisogni espressi). SISO keeps them in SS_MOTIVAZIONE but ships no rows; the sourced
-- coding we have is the ISTAT area of users. Regional custom needs refine one of them.
CREATE TABLE need_code (
  code text PRIMARY KEY CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$'),
  label text NOT NULL,
  scheme text NOT NULL CHECK (scheme ~ '^[A-Z][A-Z0-9_]{1,63}$'),
  parent_code text REFERENCES need_code(code),
  valid_from date,
  valid_to date,
  source text NOT NULL CHECK (length(source) > 0),
  region_code text REFERENCES region(code),
  created_by uuid REFERENCES operator(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_to > valid_from),
  CHECK (scheme <> 'REGIONAL_CUSTOM' OR (parent_code IS NOT NULL AND region_code IS NOT NULL))
);

-- The intake record. Columns of the sensitive groups (DESIGN.md section 3, desk profiles):
--   HEALTH: health_notes; JUDICIAL: judicial_notes, judicial_measure_ref;
--   PERMIT: permit_type, permit_expiry; ECONOMIC: economic_notes.
CREATE TABLE intake_record (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- Human-facing number printed on the card ("Scheda n.").
  number bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  organization_id uuid NOT NULL REFERENCES organization(id),
  office_id uuid NOT NULL REFERENCES office(id),
  contact_point_id uuid NOT NULL REFERENCES contact_point(id),
  occurred_at timestamptz NOT NULL,
  -- SISO udc_modalita_accesso: PERSONA, SEGN_TELEFONIVA, EMAIL, SEGN_SCRITTA, DOMICILIO, ALTRA_DISTANZA.
  channel text NOT NULL CHECK (channel IN (
    'IN_PERSON', 'PHONE', 'EMAIL', 'WRITTEN_REPORT', 'HOME_VISIT', 'OTHER_REMOTE')),
  -- Seed 003, 1.2: one consent rule per kind of access.
  access_kind text NOT NULL CHECK (access_kind IN (
    'JUDICIAL_AUTHORITY', 'PUBLIC_OFFICIAL', 'CITIZEN', 'LEGAL_REPRESENTATIVE',
    'GENERIC_REPORTER', 'CRIME_OR_RISK_REPORT', 'ANONYMOUS')),
  -- SISO udc_motivo_accesso: Decreto, Inviato da, Spontaneo, Convocato.
  access_reason text CHECK (access_reason IN ('DECREE', 'SENT_BY', 'SPONTANEOUS', 'SUMMONED')),
  sent_by text,
  -- Why the subject's data may be processed: the subject's (or representative's) consent, the
  -- judge's mandate, the legal duty to report, or nothing identifying at all (anonymous).
  legal_basis text NOT NULL CHECK (legal_basis IN (
    'CONSENT', 'JUDICIAL_MANDATE', 'LEGAL_OBLIGATION', 'NONE')),
  consent_id uuid REFERENCES consent(id),
  consent_status text CHECK (consent_status IN ('GIVEN', 'DENIED', 'WITHDRAWN')),
  consent_given_by text CHECK (consent_given_by IN ('SUBJECT', 'LEGAL_REPRESENTATIVE')),
  -- Interlocutor (SISO udc_interlocutori, plus the legal representative of seed 003).
  interlocutor_kind text NOT NULL CHECK (interlocutor_kind IN (
    'JUDICIAL_AUTHORITY', 'SUBJECT', 'RELATIVE_OR_ACQUAINTANCE', 'ORGANIZATION',
    'INSTITUTIONAL', 'LEGAL_REPRESENTATIVE', 'OTHER')),
  interlocutor_person_id uuid REFERENCES person(id),
  interlocutor_name text,
  interlocutor_organization text,
  interlocutor_role text,
  interlocutor_contact text,
  -- The reporter holds a title to request services for the subject (titolarità).
  interlocutor_entitled boolean NOT NULL DEFAULT false,
  subject_person_id uuid REFERENCES person(id),
  subject_accompanied boolean,
  summary text,
  -- Social and environmental data, as told at the desk.
  household_size smallint CHECK (household_size BETWEEN 1 AND 30),
  family_notes text,
  -- SINBA OccupazioneType 1..8 (inps_sinba_enums.csv).
  work_condition_code text CHECK (work_condition_code IN ('1', '2', '3', '4', '5', '6', '7', '8')),
  work_notes text,
  homeless boolean,
  housing_notes text,
  contacts_notes text,
  health_notes text,
  judicial_notes text,
  judicial_measure_ref text,
  economic_notes text,
  -- Foreign-citizen data.
  citizenship text,
  permit_type text,
  permit_expiry date,
  status text NOT NULL DEFAULT 'OPEN' CHECK (status IN (
    'OPEN', 'SENT', 'PROPOSED', 'CLOSED', 'TAKEN_INTO_CARE', 'REJECTED')),
  outcome text CHECK (outcome IN (
    'INFORMATION_GIVEN', 'REFERRAL', 'REFERRAL_EXTERNAL_ORGANIZATION', 'HOUSING_MEDIATION',
    'JOB_ORIENTATION', 'CULTURAL_MEDIATION', 'EDUCATION_ORIENTATION',
    'PROPOSAL_TAKE_INTO_CARE', 'REPORT_TO_JUDICIAL_AUTHORITY')),
  outcome_notes text,
  closed_at timestamptz,
  closed_by uuid REFERENCES operator(id),
  -- The office whose social workers evaluate the proposal (status PROPOSED).
  proposed_office_id uuid REFERENCES office(id),
  duplicated_from_id uuid REFERENCES intake_record(id),
  created_by uuid REFERENCES operator(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_by uuid REFERENCES operator(id),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz,
  deleted_by uuid REFERENCES operator(id),
  deletion_reason text,
  -- The rules again, as a last line of defence behind the service.
  CHECK (access_kind <> 'ANONYMOUS' OR (subject_person_id IS NULL AND interlocutor_person_id IS NULL
                                        AND consent_id IS NULL)),
  CHECK (access_kind <> 'PUBLIC_OFFICIAL' OR channel = 'WRITTEN_REPORT'),
  CHECK (access_kind <> 'JUDICIAL_AUTHORITY' OR outcome IS NULL OR outcome = 'PROPOSAL_TAKE_INTO_CARE'),
  CHECK (access_kind <> 'CRIME_OR_RISK_REPORT' OR outcome IS NULL OR outcome = 'REPORT_TO_JUDICIAL_AUTHORITY'),
  CHECK ((status IN ('OPEN', 'SENT')) = (outcome IS NULL)),
  CHECK (status <> 'PROPOSED' OR outcome = 'PROPOSAL_TAKE_INTO_CARE')
);
-- Search at a million records: every list is newest first. The time index serves the lists of
-- an operator whose organisations (a union and its comuni: several ids, which an index led by
-- organization_id cannot return in time order) hold a fair share of the records; the others
-- serve the selective filters.
CREATE INDEX intake_time_idx ON intake_record (occurred_at DESC, id DESC) WHERE deleted_at IS NULL;
-- Subject look-up by last-name prefix (LIKE 'ros%'): a pattern index, since the database
-- collation may not be C (001's person_names_idx serves equality and ordering only).
CREATE INDEX person_last_name_prefix_idx ON person (lower(last_name) text_pattern_ops)
  WHERE deleted_at IS NULL;
CREATE INDEX intake_subject_idx ON intake_record (subject_person_id, occurred_at DESC)
  WHERE deleted_at IS NULL;
CREATE INDEX intake_org_time_idx ON intake_record (organization_id, occurred_at DESC, id)
  WHERE deleted_at IS NULL;
CREATE INDEX intake_contact_point_time_idx ON intake_record (contact_point_id, occurred_at DESC, id)
  WHERE deleted_at IS NULL;
CREATE INDEX intake_org_kind_time_idx ON intake_record (organization_id, access_kind, occurred_at DESC)
  WHERE deleted_at IS NULL;
CREATE INDEX intake_org_status_time_idx ON intake_record (organization_id, status, occurred_at DESC)
  WHERE deleted_at IS NULL;
CREATE INDEX intake_proposed_idx ON intake_record (proposed_office_id, occurred_at DESC)
  WHERE status = 'PROPOSED' AND deleted_at IS NULL;
CREATE INDEX intake_office_idx ON intake_record (office_id);
CREATE INDEX intake_duplicated_from_idx ON intake_record (duplicated_from_id)
  WHERE duplicated_from_id IS NOT NULL;

-- Reference persons (riferimento): a relative, an acquaintance, the caregiver.
CREATE TABLE intake_reference_person (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  intake_id uuid NOT NULL REFERENCES intake_record(id) ON DELETE CASCADE,
  position smallint NOT NULL CHECK (position >= 0),
  relationship text NOT NULL CHECK (relationship IN ('RELATIVE', 'ACQUAINTANCE', 'CAREGIVER', 'OTHER')),
  person_id uuid REFERENCES person(id),
  full_name text NOT NULL,
  phone text,
  email text,
  notes text,
  UNIQUE (intake_id, position)
);

CREATE TABLE intake_need (
  intake_id uuid NOT NULL REFERENCES intake_record(id) ON DELETE CASCADE,
  need_code text NOT NULL REFERENCES need_code(code),
  notes text,
  PRIMARY KEY (intake_id, need_code)
);
CREATE INDEX intake_need_code_idx ON intake_need (need_code, intake_id);

-- Requested services: the version of the code valid on the day of the record.
CREATE TABLE intake_service_request (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  intake_id uuid NOT NULL REFERENCES intake_record(id) ON DELETE CASCADE,
  service_id uuid NOT NULL REFERENCES service_catalog(id),
  service_code text NOT NULL,
  -- SISO StatiRichiesta: INVIATA, ACCETTATA, RIFIUTATA (erogazioni_enums.csv).
  state text NOT NULL DEFAULT 'REQUESTED' CHECK (state IN (
    'REQUESTED', 'FORWARDED', 'ACCEPTED', 'REJECTED', 'WITHDRAWN')),
  working_minutes integer NOT NULL DEFAULT 0 CHECK (working_minutes BETWEEN 0 AND 100000),
  notes text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX intake_service_intake_idx ON intake_service_request (intake_id);
CREATE INDEX intake_service_code_idx ON intake_service_request (service_code, intake_id);

-- Attachment metadata only; the file lives in the document store under storage_key.
CREATE TABLE intake_service_attachment (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  service_request_id uuid NOT NULL REFERENCES intake_service_request(id) ON DELETE CASCADE,
  file_name text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
  media_type text NOT NULL,
  size_bytes bigint NOT NULL CHECK (size_bytes >= 0),
  sha256 char(64) CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  storage_key text,
  uploaded_by uuid REFERENCES operator(id),
  uploaded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX intake_attachment_request_idx ON intake_service_attachment (service_request_id);

-- The operator's diary (SISO tipo_diario: NOTE, COLLOQUIO, CAMBIO_STATO…). An entry may carry a
-- sensitive group: its text is then masked like the record's fields of that group.
CREATE TABLE intake_diary_entry (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  intake_id uuid NOT NULL REFERENCES intake_record(id) ON DELETE CASCADE,
  at timestamptz NOT NULL DEFAULT now(),
  kind text NOT NULL CHECK (kind IN ('NOTE', 'INTERVIEW', 'PHONE_CALL', 'STATUS_CHANGE', 'TRANSFER')),
  text text NOT NULL CHECK (length(text) BETWEEN 1 AND 20000),
  sensitive_group text CHECK (sensitive_group IN ('HEALTH', 'JUDICIAL', 'PERMIT', 'ECONOMIC')),
  operator_id uuid REFERENCES operator(id),
  author text NOT NULL
);
CREATE INDEX intake_diary_intake_idx ON intake_diary_entry (intake_id, at);

-- Sending a record to another desk (SISO SS_SCHEDA_ACCESSO_INVIANTE): the receiving desk
-- becomes the owner; the history stays here.
CREATE TABLE intake_transfer (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  intake_id uuid NOT NULL REFERENCES intake_record(id) ON DELETE CASCADE,
  from_contact_point_id uuid NOT NULL REFERENCES contact_point(id),
  to_contact_point_id uuid NOT NULL REFERENCES contact_point(id),
  note text,
  sent_by uuid REFERENCES operator(id),
  sent_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX intake_transfer_intake_idx ON intake_transfer (intake_id, sent_at);
