-- Territory (seed 003, 2.1): regione > zona sociale > comune.
CREATE TABLE region (
  code text PRIMARY KEY,               -- ISTAT region code, e.g. '10' Umbria
  name text NOT NULL
);

CREATE TABLE social_district (
  id integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
  region_code text NOT NULL REFERENCES region(code),
  number integer NOT NULL,
  name text NOT NULL,
  lead_municipality text,
  UNIQUE (region_code, number)
);

CREATE TABLE municipality (
  istat_code char(6) PRIMARY KEY,
  name text NOT NULL,
  province char(2) NOT NULL,
  cadastral_code char(4) NOT NULL UNIQUE,
  social_district_id integer REFERENCES social_district(id),
  population integer,
  CHECK (istat_code ~ '^[0-9]{6}$'),
  CHECK (cadastral_code ~ '^[A-Z][0-9]{3}$')
);

-- Foreign states by Belfiore (Z) code, for codici fiscali of people born abroad.
CREATE TABLE foreign_country (
  belfiore_code char(4) PRIMARY KEY CHECK (belfiore_code ~ '^Z[0-9]{3}$'),
  name text NOT NULL,
  iso3 char(3),
  istat_code text
);

-- Organisation: bodies nest (a union of municipalities holds municipalities, Roma Capitale its municipi).
CREATE TABLE organization (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  parent_id uuid REFERENCES organization(id),
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('REGION', 'MUNICIPALITY', 'UNION', 'ASP', 'HEALTH_AUTHORITY', 'PROVIDER', 'OTHER')),
  municipality_code char(6) REFERENCES municipality(istat_code),
  social_district_id integer REFERENCES social_district(id),
  tax_id text,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE office (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organization(id),
  name text NOT NULL,
  level smallint NOT NULL CHECK (level IN (1, 2)),
  scope text NOT NULL CHECK (scope IN ('TERRITORIAL', 'THEMATIC')),
  sector text
);

-- A desk profile names the sensitive field groups that must never leave the server at its desks.
CREATE TABLE desk_profile (
  code text PRIMARY KEY,
  name text NOT NULL,
  masked_groups text[] NOT NULL DEFAULT '{}'
    CHECK (masked_groups <@ ARRAY['HEALTH', 'JUDICIAL', 'PERMIT', 'ECONOMIC']::text[])
);

CREATE TABLE contact_point (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  office_id uuid NOT NULL REFERENCES office(id),
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('PUA', 'URP', 'UDC', 'IMMIGRANT_DESK', 'SOCIAL_DESK', 'OTHER')),
  desk_profile_code text NOT NULL REFERENCES desk_profile(code)
);

-- Operators and their roles in offices.
CREATE TABLE operator (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  username text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9._-]{3,64}$'),
  full_name text NOT NULL,
  email text,
  password_hash text NOT NULL,
  active boolean NOT NULL DEFAULT true,
  failed_logins integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE membership (
  operator_id uuid NOT NULL REFERENCES operator(id),
  office_id uuid NOT NULL REFERENCES office(id),
  role text NOT NULL CHECK (role IN (
    'FRONT_DESK', 'SOCIAL_WORKER', 'COORDINATOR', 'ADMIN_STAFF', 'MANAGER', 'PLANNER', 'ADMINISTRATOR')),
  contact_point_id uuid REFERENCES contact_point(id),
  PRIMARY KEY (operator_id, office_id, role)
);

-- Token revocation (logout): a token's jti stays here until it would have expired anyway.
CREATE TABLE revoked_token (
  jti text PRIMARY KEY,
  expires_at timestamptz NOT NULL
);

-- Partner systems (ASL, third-sector providers) with client credentials and scopes.
CREATE TABLE partner_client (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  client_id text NOT NULL UNIQUE,
  name text NOT NULL,
  organization_id uuid NOT NULL REFERENCES organization(id),
  secret_hash text NOT NULL,
  scopes text[] NOT NULL DEFAULT '{}',
  rate_limit_per_minute integer NOT NULL DEFAULT 600 CHECK (rate_limit_per_minute > 0),
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Persons (anagrafica). Anonymous persons carry no identity; aliases (Roma Capitale) stand in
-- for a name the person does not give. field_sources records where each field came from.
CREATE TABLE person (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tax_code char(16) UNIQUE,
  anonymous boolean NOT NULL DEFAULT false,
  alias text,
  first_name text,
  last_name text,
  sex char(1) CHECK (sex IN ('M', 'F')),
  birth_date date,
  birth_place_code char(4),
  citizenship text,
  residence_municipality char(6) REFERENCES municipality(istat_code),
  residence_address text,
  domicile_municipality char(6) REFERENCES municipality(istat_code),
  domicile_address text,
  phone text,
  email text,
  permit_type text,
  permit_expiry date,
  field_sources jsonb NOT NULL DEFAULT '{}',
  owner_organization_id uuid REFERENCES organization(id),
  created_by uuid REFERENCES operator(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz,
  CHECK (NOT anonymous OR (tax_code IS NULL AND first_name IS NULL AND last_name IS NULL
                           AND birth_date IS NULL AND birth_place_code IS NULL)),
  CHECK (anonymous OR alias IS NOT NULL OR (first_name IS NOT NULL AND last_name IS NOT NULL))
);
CREATE INDEX person_names_idx ON person (lower(last_name), lower(first_name));
CREATE INDEX person_residence_idx ON person (residence_municipality);

CREATE TABLE person_alias (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  person_id uuid NOT NULL REFERENCES person(id),
  alias text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Consent to processing, per person and organisation (or office), with its legal basis.
CREATE TABLE consent (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  person_id uuid NOT NULL REFERENCES person(id),
  organization_id uuid NOT NULL REFERENCES organization(id),
  office_id uuid REFERENCES office(id),
  status text NOT NULL CHECK (status IN ('GIVEN', 'DENIED', 'WITHDRAWN')),
  legal_basis text NOT NULL CHECK (legal_basis IN ('CONSENT', 'JUDICIAL_MANDATE', 'LEGAL_OBLIGATION', 'VITAL_INTEREST')),
  decided_on date NOT NULL,
  recorded_by uuid REFERENCES operator(id),
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX consent_person_idx ON consent (person_id, organization_id, recorded_at DESC);

-- Audit log (GDPR art. 30): every read and write of personal data, and every denial.
CREATE TABLE audit_log (
  id bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
  at timestamptz NOT NULL DEFAULT now(),
  actor_kind text NOT NULL CHECK (actor_kind IN ('OPERATOR', 'CLIENT', 'SYSTEM', 'ANONYMOUS')),
  actor_id text,
  organization_id uuid,
  action text NOT NULL,
  entity text NOT NULL,
  entity_id text,
  person_id uuid,
  outcome text NOT NULL CHECK (outcome IN ('OK', 'DENIED', 'FAILED')),
  ip text,
  user_agent text,
  reason text,
  details jsonb
);
CREATE INDEX audit_person_idx ON audit_log (person_id, at DESC);
CREATE INDEX audit_actor_idx ON audit_log (actor_id, at DESC);
