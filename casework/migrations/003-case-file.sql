-- Case file (cartella sociale), dossier (fascicolo) and care plan (PAI): seed 003 sections 1.3
-- and 2.2, seed 004 "La cartella 1/2 e 2/2", DESIGN.md section 4.
-- Codes that come from an official list keep that list's own values (INPS SINBA.xsd and
-- PS_PSA_SINA201812.xsd, SISO's DataModelCostanti); each code table says where its rows come from.

-- ---------------------------------------------------------------------------------------------
-- Code tables
-- ---------------------------------------------------------------------------------------------

-- Target area (area target / area di utenza), ISTAT "Interventi e servizi sociali dei comuni".
CREATE TABLE target_area (
  code text PRIMARY KEY,
  label text NOT NULL,
  -- SIUSS AreaUtenza (PS_PSA_SINA201812.xsd AreaUtenzaType) where the match is one to one.
  siuss_area_utenza text CHECK (siuss_area_utenza IN ('1', '2', '3')),
  source text NOT NULL
);
INSERT INTO target_area (code, label, siuss_area_utenza, source) VALUES
  ('FAM', 'famiglia e minori', '1', 'IstatData CATEG_OF_BENEFICIARIES (data/nomenclatore/target-areas.csv)'),
  ('DIS', 'disabili', '2', 'IstatData CATEG_OF_BENEFICIARIES (data/nomenclatore/target-areas.csv)'),
  ('ADD', 'dipendenze', NULL, 'IstatData CATEG_OF_BENEFICIARIES (data/nomenclatore/target-areas.csv)'),
  ('ELD', 'anziani', NULL, 'IstatData CATEG_OF_BENEFICIARIES (data/nomenclatore/target-areas.csv)'),
  ('IMMNOM', 'immigrati, Rom, Sinti e Caminanti', NULL, 'IstatData CATEG_OF_BENEFICIARIES (data/nomenclatore/target-areas.csv)'),
  ('POV', 'povertà, disagio adulti e senza dimora', '3', 'IstatData CATEG_OF_BENEFICIARIES (data/nomenclatore/target-areas.csv)'),
  ('MULBEN', 'multiutenza', NULL, 'IstatData CATEG_OF_BENEFICIARIES (data/nomenclatore/target-areas.csv)');

-- Diary types: the ids of SISO's TipoDiario (data/siso-code-tables/tipo_diario.csv).
CREATE TABLE diary_type (
  id smallint PRIMARY KEY,
  constant text NOT NULL UNIQUE,
  label text NOT NULL,
  source text NOT NULL DEFAULT 'SISO DataModelCostanti.TipoDiario (tipo_diario.csv)'
);
INSERT INTO diary_type (id, constant, label) VALUES
  (1, 'CAMBIO_STATO_ID', 'Cambio di stato'),
  (2, 'EROGAZIONE_INT_ID', 'Erogazione intervento'),
  (3, 'FOGLIO_AMM_ID', 'Foglio amministrativo'),
  (4, 'NOTE_ID', 'Nota'),
  (5, 'COLLOQUIO_ID', 'Colloquio'),
  (6, 'RELAZIONE_ID', 'Attività professionale'),
  (7, 'VALUTAZIONE_MDS_ID', 'Valutazione multidimensionale'),
  (8, 'PAI_ID', 'PAI'),
  (9, 'BARTHEL_ID', 'Scheda Barthel'),
  (10, 'DOC_INDIVIDUALE_ID', 'Documento individuale'),
  (11, 'DATI_SCUOLA_ID', 'Dati scuola'),
  (12, 'ISEE_ID', 'ISEE'),
  (13, 'STRANIERI_ID', 'Stranieri'),
  (14, 'FAMIGLIA_ID', 'Famiglia'),
  (15, 'ABITAZIONE_ID', 'Abitazione'),
  (16, 'RECAPITI_ID', 'Recapiti'),
  (17, 'INTERMEDIAZIONE_AB_ID', 'Intermediazione abitativa'),
  (18, 'ORIENTAMENTO_LAVORO_ID', 'Orientamento al lavoro'),
  (19, 'PROVVEDIMENTI_TRIBUNALE', 'Provvedimenti del tribunale'),
  (20, 'ORIENTAMENTO_ISTRUZIONE_ID', 'Orientamento all''istruzione'),
  (21, 'MEDIAZIONE_CULT_ID', 'Mediazione culturale'),
  (22, 'RICHIESTA_SERVIZIO_ID', 'Richiesta di servizio'),
  (23, 'VALUTAZIONE_SINBA', 'Valutazione SInBA');

-- Coded problems (problematiche). SISO ships no rows for its problem table; the SINBA schemes
-- are INPS's own lists, the HUB scheme is a short default list of ours until a region loads its own.
CREATE TABLE problem_code (
  scheme text NOT NULL,
  code text NOT NULL,
  label text NOT NULL,
  source text NOT NULL,
  active boolean NOT NULL DEFAULT true,
  PRIMARY KEY (scheme, code)
);
INSERT INTO problem_code (scheme, code, label, source) VALUES
  ('SINBA_MINORE', '2', 'problemi relazionali e comportamentali', 'INPS SINBA.xsd ValutazioneMinoreType'),
  ('SINBA_MINORE', '3', 'dipendenze', 'INPS SINBA.xsd ValutazioneMinoreType'),
  ('SINBA_MINORE', '4', 'presunto stato di abbandono', 'INPS SINBA.xsd ValutazioneMinoreType'),
  ('SINBA_MINORE', '5', 'problemi sanitari', 'INPS SINBA.xsd ValutazioneMinoreType'),
  ('SINBA_MINORE', '6', 'violenza sessuale subita, prostituzione, tratta, pedopornografia', 'INPS SINBA.xsd ValutazioneMinoreType'),
  ('SINBA_MINORE', '7', 'altre forme di violenza e maltrattamento subite', 'INPS SINBA.xsd ValutazioneMinoreType'),
  ('SINBA_MINORE', '8', 'comportamenti di grave devianza', 'INPS SINBA.xsd ValutazioneMinoreType'),
  ('SINBA_MINORE', '9', 'problemi di autonomia, disabilità', 'INPS SINBA.xsd ValutazioneMinoreType'),
  ('SINBA_MINORE', '10', 'coinvolto in procedure penali', 'INPS SINBA.xsd ValutazioneMinoreType'),
  ('SINBA_MINORE', '11', 'gestante/madre minorenne', 'INPS SINBA.xsd ValutazioneMinoreType'),
  ('SINBA_MINORE', '12', 'minore straniero non accompagnato', 'INPS SINBA.xsd ValutazioneMinoreType'),
  ('SINBA_MINORE', '13', 'abbandono scolastico', 'INPS SINBA.xsd ValutazioneMinoreType'),
  ('SINBA_FAMIGLIA', '2', 'problematica fragilità/inadeguatezza genitoriale, problematiche socio-educative e relazionali', 'INPS SINBA.xsd ValutazioneFamigliaMinoreType'),
  ('SINBA_FAMIGLIA', '3', 'dipendenza', 'INPS SINBA.xsd ValutazioneFamigliaMinoreType'),
  ('SINBA_FAMIGLIA', '4', 'problematiche psichiatriche', 'INPS SINBA.xsd ValutazioneFamigliaMinoreType'),
  ('SINBA_FAMIGLIA', '5', 'altre problematiche sanitarie', 'INPS SINBA.xsd ValutazioneFamigliaMinoreType'),
  ('SINBA_FAMIGLIA', '6', 'grave conflittualità familiare', 'INPS SINBA.xsd ValutazioneFamigliaMinoreType'),
  ('SINBA_FAMIGLIA', '7', 'famiglia maltrattante', 'INPS SINBA.xsd ValutazioneFamigliaMinoreType'),
  ('SINBA_FAMIGLIA', '8', 'famiglia abusante', 'INPS SINBA.xsd ValutazioneFamigliaMinoreType'),
  ('SINBA_FAMIGLIA', '9', 'problemi giudiziari', 'INPS SINBA.xsd ValutazioneFamigliaMinoreType'),
  ('SINBA_FAMIGLIA', '10', 'fallimento affido preadottivo nel I anno', 'INPS SINBA.xsd ValutazioneFamigliaMinoreType'),
  ('SINBA_FAMIGLIA', '11', 'inadempienza obblighi sanitari', 'INPS SINBA.xsd ValutazioneFamigliaMinoreType'),
  ('SINBA_FAMIGLIA', '12', 'difficoltà economiche', 'INPS SINBA.xsd ValutazioneFamigliaMinoreType'),
  ('SINBA_FAMIGLIA', '13', 'difficoltà abitative', 'INPS SINBA.xsd ValutazioneFamigliaMinoreType'),
  ('HUB', 'ECONOMIC', 'difficoltà economiche', 'hub default list (no official list of problems was found)'),
  ('HUB', 'HOUSING', 'difficoltà abitative', 'hub default list (no official list of problems was found)'),
  ('HUB', 'WORK', 'perdita o assenza di lavoro', 'hub default list (no official list of problems was found)'),
  ('HUB', 'HEALTH', 'problemi di salute', 'hub default list (no official list of problems was found)'),
  ('HUB', 'AUTONOMY', 'perdita di autonomia', 'hub default list (no official list of problems was found)'),
  ('HUB', 'FAMILY', 'conflittualità o fragilità familiare', 'hub default list (no official list of problems was found)'),
  ('HUB', 'ISOLATION', 'solitudine e isolamento sociale', 'hub default list (no official list of problems was found)'),
  ('HUB', 'ADDICTION', 'dipendenze', 'hub default list (no official list of problems was found)'),
  ('HUB', 'VIOLENCE', 'violenza o maltrattamento', 'hub default list (no official list of problems was found)'),
  ('HUB', 'LEGAL', 'problemi giudiziari', 'hub default list (no official list of problems was found)'),
  ('HUB', 'INTEGRATION', 'difficoltà di integrazione (lingua, documenti)', 'hub default list (no official list of problems was found)');

-- ---------------------------------------------------------------------------------------------
-- Taking into care: the evaluation of an intake record proposed to an office
-- ---------------------------------------------------------------------------------------------

CREATE TABLE case_file (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  person_id uuid NOT NULL REFERENCES person(id),
  organization_id uuid NOT NULL REFERENCES organization(id),
  office_id uuid NOT NULL REFERENCES office(id),
  sector text,
  target_area_code text REFERENCES target_area(code),
  status text NOT NULL CHECK (status IN ('PROPOSED', 'UNDER_EVALUATION', 'IN_CARE', 'SUSPENDED', 'CLOSED')),
  status_changed_at timestamptz NOT NULL DEFAULT now(),
  opened_on date NOT NULL,
  closed_on date,
  closure_reason text,
  created_by uuid REFERENCES operator(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'CLOSED') = (closed_on IS NOT NULL)),
  CHECK (closed_on IS NULL OR closed_on >= opened_on)
);
-- One open case file per person and office (CASE_ALREADY_OPEN): the rule holds even for writers
-- that bypass the service.
CREATE UNIQUE INDEX case_file_one_open_per_office ON case_file (person_id, office_id) WHERE status <> 'CLOSED';
CREATE INDEX case_file_person_idx ON case_file (person_id);
CREATE INDEX case_file_office_idx ON case_file (office_id, status);

CREATE TABLE intake_evaluation (
  intake_record_id uuid PRIMARY KEY REFERENCES intake_record(id),
  office_id uuid NOT NULL REFERENCES office(id),
  status text NOT NULL CHECK (status IN ('UNDER_EVALUATION', 'REJECTED', 'CASE_OPENED', 'ATTACHED')),
  started_by uuid REFERENCES operator(id),
  started_at timestamptz NOT NULL DEFAULT now(),
  decided_by uuid REFERENCES operator(id),
  decided_at timestamptz,
  rejection_reason_code text CHECK (rejection_reason_code IN (
    'USER_REFUSED', 'NOT_NECESSARY', 'NOT_TRUTHFUL', 'NOT_COMPETENT', 'OTHER')),
  rejection_reason text,
  interview_on date,
  interview_notes text,
  case_file_id uuid REFERENCES case_file(id),
  CHECK ((status = 'REJECTED') = (rejection_reason_code IS NOT NULL AND rejection_reason IS NOT NULL)),
  CHECK ((status IN ('CASE_OPENED', 'ATTACHED')) = (case_file_id IS NOT NULL)),
  CHECK ((status = 'UNDER_EVALUATION') = (decided_at IS NULL))
);
CREATE INDEX intake_evaluation_office_idx ON intake_evaluation (office_id, status);

-- Which intake records fed a case file: the one that opened it and those attached later.
CREATE TABLE case_file_intake (
  intake_record_id uuid PRIMARY KEY REFERENCES intake_record(id),
  case_file_id uuid NOT NULL REFERENCES case_file(id),
  link_kind text NOT NULL CHECK (link_kind IN ('OPENED', 'ATTACHED')),
  linked_by uuid REFERENCES operator(id),
  linked_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_file_intake_case_idx ON case_file_intake (case_file_id);

-- Status, sector and office history (SISO CS_IT_STEP).
CREATE TABLE case_status_history (
  id bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
  case_file_id uuid NOT NULL REFERENCES case_file(id),
  kind text NOT NULL CHECK (kind IN ('OPENED', 'STATUS', 'SECTOR', 'OFFICE')),
  from_status text,
  to_status text NOT NULL,
  from_office_id uuid REFERENCES office(id),
  to_office_id uuid NOT NULL REFERENCES office(id),
  from_sector text,
  to_sector text,
  reason text,
  changed_on date NOT NULL,
  changed_by uuid REFERENCES operator(id),
  changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_status_history_case_idx ON case_status_history (case_file_id, id);

-- ---------------------------------------------------------------------------------------------
-- Access lists
-- ---------------------------------------------------------------------------------------------

-- Operators enabled on a case (SISO CS_A_CASO_OPE_TIPO_OPE): only they see its contents.
CREATE TABLE case_operator (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_file_id uuid NOT NULL REFERENCES case_file(id),
  operator_id uuid NOT NULL REFERENCES operator(id),
  operator_type text NOT NULL CHECK (operator_type IN (
    'SOCIAL_WORKER', 'EDUCATOR', 'WORK_EDUCATOR', 'PSYCHOLOGIST', 'OTHER')),
  responsible boolean NOT NULL DEFAULT false,
  enabled_from date NOT NULL,
  enabled_by uuid REFERENCES operator(id),
  enabled_at timestamptz NOT NULL DEFAULT now(),
  disabled_by uuid REFERENCES operator(id),
  disabled_at timestamptz
);
CREATE UNIQUE INDEX case_operator_active_idx ON case_operator (case_file_id, operator_id) WHERE disabled_at IS NULL;
CREATE INDEX case_operator_operator_idx ON case_operator (operator_id) WHERE disabled_at IS NULL;

-- Organisations granted read access (SISO CS_A_CASO_ACCESSO_FASCICOLO): a partner client of
-- such an organisation with scope cases:read reads the case file.
CREATE TABLE case_organization_access (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_file_id uuid NOT NULL REFERENCES case_file(id),
  organization_id uuid NOT NULL REFERENCES organization(id),
  reason text NOT NULL,
  valid_from date NOT NULL,
  valid_to date,
  granted_by uuid REFERENCES operator(id),
  granted_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX case_organization_access_idx ON case_organization_access (case_file_id, organization_id);

-- ---------------------------------------------------------------------------------------------
-- The case file's sections
-- ---------------------------------------------------------------------------------------------

-- Resources: family and acquaintances network.
CREATE TABLE case_resource (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_file_id uuid NOT NULL REFERENCES case_file(id),
  kind text NOT NULL CHECK (kind IN ('FAMILY', 'ACQUAINTANCE')),
  relationship text NOT NULL,
  name text NOT NULL,
  person_id uuid REFERENCES person(id),
  cohabiting boolean NOT NULL DEFAULT false,
  caregiver boolean NOT NULL DEFAULT false,
  phone text,
  notes text,
  created_by uuid REFERENCES operator(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  removed_at timestamptz
);
CREATE INDEX case_resource_case_idx ON case_resource (case_file_id);

-- Social data (work, housing, education) with its reliability; the latest row of a domain is
-- the current one, older rows are its history.
CREATE TABLE case_social_data (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_file_id uuid NOT NULL REFERENCES case_file(id),
  domain text NOT NULL CHECK (domain IN ('WORK', 'HOUSING', 'EDUCATION')),
  code text NOT NULL,
  description text,
  reliability text NOT NULL CHECK (reliability IN ('REPORTED', 'VERIFIED')),
  source text NOT NULL CHECK (source IN ('INTAKE', 'INTERVIEW', 'DOCUMENT', 'REGISTRY', 'OTHER')),
  recorded_on date NOT NULL,
  recorded_by uuid REFERENCES operator(id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_social_data_case_idx ON case_social_data (case_file_id, domain, recorded_on DESC);

-- Invalidity (HEALTH group): certification codes of PS_PSA_SINA201812.xsd InvCivType.
CREATE TABLE case_invalidity (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_file_id uuid NOT NULL REFERENCES case_file(id),
  certification text NOT NULL CHECK (certification IN ('1', '2', '3', '4', '5', '6', '7', '8')),
  percentage smallint CHECK (percentage BETWEEN 0 AND 100),
  recognized_on date,
  -- FonteDerivazioneInvaliditaType: 1 verified certificate, 2 the person's statement.
  evidence text NOT NULL CHECK (evidence IN ('1', '2')),
  notes text,
  created_by uuid REFERENCES operator(id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_invalidity_case_idx ON case_invalidity (case_file_id);

-- Disability (HEALTH group): SINBA.xsd TipoDisabilitaType.
CREATE TABLE case_disability (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_file_id uuid NOT NULL REFERENCES case_file(id),
  disability_type text NOT NULL CHECK (disability_type IN ('1', '2', '3', '4')),
  description text,
  recognized_on date,
  law_104_severe boolean NOT NULL DEFAULT false,
  notes text,
  created_by uuid REFERENCES operator(id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_disability_case_idx ON case_disability (case_file_id);

-- Court measures (JUDICIAL group): court body from SISO's struttura_tribunale, authority,
-- measure and parental-authority codes from SINBA.xsd.
CREATE TABLE case_court_measure (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_file_id uuid NOT NULL REFERENCES case_file(id),
  court_body text NOT NULL CHECK (court_body IN (
    'TMCivile', 'TMAmministrativo', 'penaleMinorile', 'TO', 'NIS', 'procuraMinorile', 'procuraOrdinaria', 'corteAppello')),
  authority text CHECK (authority IN ('1', '2', '3', '4')),
  measure_type text CHECK (measure_type IN ('1', '2', '3', '4', '5', '6', '7', '8')),
  parental_measure text CHECK (parental_measure IN ('1', '2', '3', '4', '5')),
  measure_on date NOT NULL,
  reference text,
  description text,
  ended_on date,
  created_by uuid REFERENCES operator(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (ended_on IS NULL OR ended_on >= measure_on)
);
CREATE INDEX case_court_measure_case_idx ON case_court_measure (case_file_id);

CREATE TABLE case_note (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_file_id uuid NOT NULL REFERENCES case_file(id),
  text text NOT NULL,
  author_id uuid REFERENCES operator(id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_note_case_idx ON case_note (case_file_id, created_at DESC);

-- School data: SINBA.xsd ScuolaFrequentataType.
CREATE TABLE case_school (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_file_id uuid NOT NULL REFERENCES case_file(id),
  school_year text NOT NULL CHECK (school_year ~ '^[0-9]{4}/[0-9]{4}$'),
  school_type text NOT NULL CHECK (school_type IN ('1', '2', '3', '4', '5', '6', '7', '8')),
  school_name text,
  class_name text,
  support_teacher boolean NOT NULL DEFAULT false,
  notes text,
  created_by uuid REFERENCES operator(id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_school_case_idx ON case_school (case_file_id);

-- ISEE (ECONOMIC group): types of SISO's tipo_isee.
CREATE TABLE case_isee (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_file_id uuid NOT NULL REFERENCES case_file(id),
  isee_type text NOT NULL CHECK (isee_type IN (
    'ORDINARIO', 'UNIVERSITARIO', 'SOCIOSAN', 'SOCIOSANRES', 'MINORENNI', 'CORRENTE')),
  isee_value numeric(12, 2) NOT NULL CHECK (isee_value >= 0),
  ise_value numeric(12, 2) CHECK (ise_value >= 0),
  dsu_protocol text,
  dsu_on date,
  valid_from date NOT NULL,
  valid_to date NOT NULL,
  created_by uuid REFERENCES operator(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (valid_to >= valid_from)
);
CREATE INDEX case_isee_case_idx ON case_isee (case_file_id, valid_from DESC);

-- Individual documents, content kept in the store (backed up with it).
CREATE TABLE case_document (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_file_id uuid NOT NULL REFERENCES case_file(id),
  -- SISO sottocartella_documenti ids (1 tribunale … 9 altro).
  subfolder smallint NOT NULL CHECK (subfolder BETWEEN 1 AND 9),
  file_name text NOT NULL,
  media_type text NOT NULL CHECK (media_type IN (
    'application/pdf', 'image/png', 'image/jpeg', 'application/vnd.oasis.opendocument.text',
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'text/plain')),
  size_bytes integer NOT NULL CHECK (size_bytes > 0),
  sha256 text NOT NULL,
  content bytea NOT NULL,
  description text,
  uploaded_by uuid REFERENCES operator(id),
  uploaded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_document_case_idx ON case_document (case_file_id);

-- ---------------------------------------------------------------------------------------------
-- Dossier (fascicolo)
-- ---------------------------------------------------------------------------------------------

-- Professional activities: interviews, home visits, meetings, triage.
CREATE TABLE professional_activity (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_file_id uuid NOT NULL REFERENCES case_file(id),
  kind text NOT NULL CHECK (kind IN ('INTERVIEW', 'HOME_VISIT', 'MEETING', 'TRIAGE')),
  activity_on date NOT NULL,
  place text,
  with_whom text,
  summary text NOT NULL,
  duration_minutes integer CHECK (duration_minutes > 0),
  operator_ids uuid[] NOT NULL DEFAULT '{}',
  triage_urgency text CHECK (triage_urgency IN ('LOW', 'MEDIUM', 'HIGH')),
  triage_outcome text,
  first_interview boolean NOT NULL DEFAULT false,
  created_by uuid REFERENCES operator(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((kind = 'TRIAGE') = (triage_urgency IS NOT NULL))
);
CREATE INDEX professional_activity_case_idx ON professional_activity (case_file_id, activity_on DESC);

-- Coded problems, each recorded with the interview (activity) that found it.
CREATE TABLE case_problem (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_file_id uuid NOT NULL REFERENCES case_file(id),
  scheme text NOT NULL,
  code text NOT NULL,
  activity_id uuid NOT NULL REFERENCES professional_activity(id),
  notes text,
  recorded_on date NOT NULL,
  resolved_on date,
  created_by uuid REFERENCES operator(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (scheme, code) REFERENCES problem_code(scheme, code)
);
CREATE INDEX case_problem_case_idx ON case_problem (case_file_id);

-- The diary: every dossier event has an entry, typed per tipo_diario.
CREATE TABLE diary_entry (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_file_id uuid NOT NULL REFERENCES case_file(id),
  diary_type_id smallint NOT NULL REFERENCES diary_type(id),
  entry_on date NOT NULL,
  text text NOT NULL,
  author_id uuid REFERENCES operator(id),
  -- The dossier item the entry stands for, if any (activity, assessment, plan…).
  source_kind text,
  source_id uuid,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX diary_entry_case_idx ON diary_entry (case_file_id, entry_on DESC, created_at DESC);

-- Referrals to another service or operator, and activation of a second-level service or of
-- another body.
CREATE TABLE case_referral (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_file_id uuid NOT NULL REFERENCES case_file(id),
  kind text NOT NULL CHECK (kind IN ('SERVICE', 'OPERATOR', 'SECOND_LEVEL', 'OTHER_BODY')),
  to_office_id uuid REFERENCES office(id),
  to_operator_id uuid REFERENCES operator(id),
  to_organization_id uuid REFERENCES organization(id),
  to_body text,
  reason text NOT NULL,
  status text NOT NULL DEFAULT 'SENT' CHECK (status IN ('SENT', 'ACCEPTED', 'DECLINED')),
  sent_on date NOT NULL,
  sent_by uuid REFERENCES operator(id),
  answered_by uuid REFERENCES operator(id),
  answered_at timestamptz,
  answer_note text,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (kind <> 'OPERATOR' OR to_operator_id IS NOT NULL),
  CHECK (kind NOT IN ('SERVICE', 'SECOND_LEVEL') OR to_office_id IS NOT NULL),
  CHECK (kind <> 'OTHER_BODY' OR to_organization_id IS NOT NULL OR to_body IS NOT NULL)
);
CREATE INDEX case_referral_case_idx ON case_referral (case_file_id);
CREATE INDEX case_referral_to_office_idx ON case_referral (to_office_id, status);
CREATE INDEX case_referral_to_operator_idx ON case_referral (to_operator_id, status);

-- Multidimensional assessments: SINBA and SINA carry the attributes of INPS's schemas under
-- their XSD names, so they go to SIUSS as they are; Barthel carries its items and its score.
CREATE TABLE assessment (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_file_id uuid NOT NULL REFERENCES case_file(id),
  kind text NOT NULL CHECK (kind IN ('SINBA', 'SINA', 'BARTHEL')),
  schema_version text NOT NULL,
  assessed_on date NOT NULL,
  data jsonb NOT NULL,
  score smallint,
  score_band text,
  notes text,
  assessor_id uuid REFERENCES operator(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((kind = 'BARTHEL') = (score IS NOT NULL))
);
CREATE INDEX assessment_case_idx ON assessment (case_file_id, assessed_on DESC);

CREATE TABLE individual_project (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_file_id uuid NOT NULL REFERENCES case_file(id),
  kind text NOT NULL CHECK (kind IN ('WORK_INCLUSION', 'EDUCATIONAL', 'HOUSING', 'AUTONOMY', 'OTHER')),
  title text NOT NULL,
  description text,
  start_on date NOT NULL,
  end_on date,
  status text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('PLANNED', 'ACTIVE', 'COMPLETED', 'CANCELLED')),
  -- Work-inclusion phase: SISO PaiSALFaseEnum codes (10 … 70).
  phase smallint CHECK (phase IN (10, 20, 30, 40, 50, 60, 70)),
  responsible_operator_id uuid REFERENCES operator(id),
  created_by uuid REFERENCES operator(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (end_on IS NULL OR end_on >= start_on)
);
CREATE INDEX individual_project_case_idx ON individual_project (case_file_id);

-- ---------------------------------------------------------------------------------------------
-- Care plan (PAI)
-- ---------------------------------------------------------------------------------------------

CREATE TABLE care_plan (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_file_id uuid NOT NULL REFERENCES case_file(id),
  title text NOT NULL,
  start_on date NOT NULL,
  end_on date,
  responsible_operator_id uuid NOT NULL REFERENCES operator(id),
  status text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'CLOSED')),
  closed_on date,
  closure_reason text,
  -- Agreement of the person or of their representative (null until given).
  agreed_by text CHECK (agreed_by IN ('PERSON', 'REPRESENTATIVE')),
  agreed_on date,
  representative_name text,
  created_by uuid REFERENCES operator(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (end_on IS NULL OR end_on >= start_on),
  CHECK ((agreed_by IS NULL) = (agreed_on IS NULL)),
  CHECK (agreed_by IS DISTINCT FROM 'REPRESENTATIVE' OR representative_name IS NOT NULL),
  CHECK ((status = 'CLOSED') = (closed_on IS NOT NULL))
);
CREATE INDEX care_plan_case_idx ON care_plan (case_file_id);

CREATE TABLE care_plan_goal (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  care_plan_id uuid NOT NULL REFERENCES care_plan(id),
  term text NOT NULL CHECK (term IN ('SHORT', 'MEDIUM', 'LONG')),
  description text NOT NULL,
  achieved boolean,
  outcome_note text,
  position smallint NOT NULL
);
CREATE INDEX care_plan_goal_plan_idx ON care_plan_goal (care_plan_id, position);

CREATE TABLE care_plan_intervention (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  care_plan_id uuid NOT NULL REFERENCES care_plan(id),
  description text NOT NULL,
  service_code text,
  frequency text,
  provider text,
  responsible_operator_id uuid REFERENCES operator(id),
  start_on date,
  end_on date,
  position smallint NOT NULL,
  CHECK (end_on IS NULL OR start_on IS NULL OR end_on >= start_on)
);
CREATE INDEX care_plan_intervention_plan_idx ON care_plan_intervention (care_plan_id, position);

CREATE TABLE care_plan_review (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  care_plan_id uuid NOT NULL REFERENCES care_plan(id),
  due_on date NOT NULL,
  -- SISO PaiPTIMotivoRevisioneEnum: ELAB, VALU, VERI, RIVAL.
  purpose text NOT NULL DEFAULT 'VERI' CHECK (purpose IN ('ELAB', 'VALU', 'VERI', 'RIVAL')),
  done_on date,
  outcome text CHECK (outcome IN ('ON_TRACK', 'PARTIALLY_ACHIEVED', 'NOT_ACHIEVED', 'PLAN_CHANGED', 'GOALS_ACHIEVED')),
  outcome_note text,
  reviewer_id uuid REFERENCES operator(id),
  CHECK ((done_on IS NULL) = (outcome IS NULL))
);
CREATE INDEX care_plan_review_due_idx ON care_plan_review (due_on) WHERE done_on IS NULL;
CREATE INDEX care_plan_review_plan_idx ON care_plan_review (care_plan_id, due_on);

-- Foster-care plan (piano affido): status from SISO PaiAffidoStatoEnum, the rest from SINBA.xsd.
CREATE TABLE foster_care_plan (
  care_plan_id uuid PRIMARY KEY REFERENCES care_plan(id),
  status smallint NOT NULL CHECK (status IN (10, 20, 30, 40, 50, 60, 70)),
  form text CHECK (form IN ('1', '2')),
  kind text CHECK (kind IN ('1', '2')),
  duration text CHECK (duration IN ('1', '2')),
  character text CHECK (character IN ('1', '2')),
  foster_family text,
  started_on date,
  ended_on date,
  outcome text CHECK (outcome IN ('1', '2', '3', '4', '5', '6', '7', '8', '9')),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (ended_on IS NULL OR started_on IS NULL OR ended_on >= started_on)
);

-- Residential placements (inserimento in struttura): admission, stay, discharge.
CREATE TABLE residential_placement (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_file_id uuid NOT NULL REFERENCES case_file(id),
  care_plan_id uuid REFERENCES care_plan(id),
  facility_name text NOT NULL,
  -- SINBA.xsd CarattereInserimentoResidenzialeType / Forma / Tipo (for minors; optional).
  facility_character text CHECK (facility_character IN ('1', '2', '3', '4', '5', '6', '7', '8', '9', '10')),
  form text CHECK (form IN ('1', '2')),
  with_parent text CHECK (with_parent IN ('1', '2')),
  -- SISO PaiPTIFaseEnum 1 … 6.
  phase smallint NOT NULL DEFAULT 1 CHECK (phase BETWEEN 1 AND 6),
  admission_on date NOT NULL,
  expected_discharge_on date,
  discharge_on date,
  discharge_outcome text CHECK (discharge_outcome IN ('1', '2', '3', '4', '5', '6', '7', '8', '9')),
  notes text,
  created_by uuid REFERENCES operator(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (discharge_on IS NULL OR discharge_on >= admission_on),
  CHECK (expected_discharge_on IS NULL OR expected_discharge_on >= admission_on),
  CHECK ((discharge_on IS NULL) = (discharge_outcome IS NULL))
);
CREATE INDEX residential_placement_case_idx ON residential_placement (case_file_id);

-- Additional support services during the stay.
CREATE TABLE placement_service (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  placement_id uuid NOT NULL REFERENCES residential_placement(id),
  description text NOT NULL,
  frequency text,
  start_on date NOT NULL,
  end_on date,
  CHECK (end_on IS NULL OR end_on >= start_on)
);
CREATE INDEX placement_service_placement_idx ON placement_service (placement_id);
