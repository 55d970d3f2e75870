-- Erogazione interventi (seed 000 §7 Modulo 3, seed 003 §2.3): providers and their contracts,
-- tariffs, projects and their funding, interventions and their deliveries, and the flag for the
-- same kind of help given twice to one person by different offices. The SIUSS duty of each
-- delivery lives in its own tables (016+). Dates of contracts, projects and interventions are
-- inclusive (`end_on`, as people say "dal 1° al 31"); tariff versions end exclusively
-- (`valid_to`, as the service catalog's versions do), so that consecutive versions meet exactly.

-- Funding sources (fonti di finanziamento), the list of issue 9 and SISO's AR_FF_FONDO kinds.
CREATE TABLE funding_source (
  code text PRIMARY KEY CHECK (code ~ '^[A-Z][A-Z0-9_]{1,31}$'),
  label text NOT NULL,
  level text NOT NULL CHECK (level IN ('MUNICIPAL', 'DISTRICT', 'REGIONAL', 'NATIONAL', 'EUROPEAN'))
);
INSERT INTO funding_source (code, label, level) VALUES
  ('MUNICIPAL_BUDGET', 'Bilancio comunale', 'MUNICIPAL'),
  ('DISTRICT_FUND', 'Fondo di zona sociale (ambito)', 'DISTRICT'),
  ('REGIONAL_FUND', 'Fondo sociale regionale', 'REGIONAL'),
  ('FNPS', 'Fondo nazionale per le politiche sociali (FNPS)', 'NATIONAL'),
  ('FNA', 'Fondo nazionale per le non autosufficienze (FNA)', 'NATIONAL'),
  ('POVERTY_FUND', 'Fondo povertà (quota servizi)', 'NATIONAL'),
  ('PON_FSE_PLUS', 'PON Inclusione / FSE+', 'EUROPEAN'),
  ('PNRR', 'PNRR – Missione 5, Inclusione e coesione', 'EUROPEAN');

-- Providers (enti erogatori): an office of the contracting organisation itself (IN_HOUSE), or a
-- third-sector organisation whose partner clients record their own deliveries (THIRD_SECTOR).
CREATE TABLE provider (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
  kind text NOT NULL CHECK (kind IN ('IN_HOUSE', 'THIRD_SECTOR')),
  tax_id text CHECK (tax_id ~ '^[0-9]{11}$'),
  -- THIRD_SECTOR: the provider's own organisation (partner_client.organization_id).
  organization_id uuid REFERENCES organization(id),
  -- IN_HOUSE: the office that delivers.
  office_id uuid REFERENCES office(id),
  -- Who registered it and keeps it (a comune, a zona sociale's union).
  registered_by_organization_id uuid NOT NULL REFERENCES organization(id),
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((kind = 'IN_HOUSE') = (office_id IS NOT NULL)),
  CHECK ((kind = 'THIRD_SECTOR') = (organization_id IS NOT NULL))
);
CREATE INDEX provider_organization_idx ON provider (organization_id);

-- Contracts and accreditations: which services a provider delivers for which organisation, in
-- which period, up to which ceiling (tetto di spesa).
CREATE TABLE provider_contract (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  provider_id uuid NOT NULL REFERENCES provider(id),
  organization_id uuid NOT NULL REFERENCES organization(id),
  kind text NOT NULL CHECK (kind IN ('CONTRACT', 'ACCREDITATION', 'IN_HOUSE')),
  -- CIG, determina, atto di accreditamento.
  reference text NOT NULL CHECK (length(reference) BETWEEN 1 AND 100),
  service_codes text[] NOT NULL CHECK (cardinality(service_codes) > 0),
  start_on date NOT NULL,
  end_on date,
  ceiling_amount numeric(14, 2) CHECK (ceiling_amount > 0),
  created_by uuid REFERENCES operator(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (end_on IS NULL OR end_on >= start_on),
  UNIQUE (organization_id, reference)
);
CREATE INDEX provider_contract_provider_idx ON provider_contract (provider_id, start_on);

-- Tariffs: unit cost per organisation, provider, service and unit, versioned. The versions of one
-- key never overlap and never leave a gap (deliveries.rules.ts; the service adds a version by
-- closing the open one where the new one starts). At most one open version per key.
CREATE TABLE tariff (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organization(id),
  provider_id uuid NOT NULL REFERENCES provider(id),
  service_code text NOT NULL,
  unit text NOT NULL CHECK (unit IN ('HOUR', 'DAY', 'ACCESS', 'MONTH', 'LUMP_SUM')),
  unit_cost numeric(12, 2) NOT NULL CHECK (unit_cost >= 0),
  valid_from date NOT NULL,
  valid_to date,
  created_by uuid REFERENCES operator(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (valid_to IS NULL OR valid_to > valid_from),
  UNIQUE (organization_id, provider_id, service_code, unit, valid_from)
);
CREATE UNIQUE INDEX tariff_one_open_version ON tariff (organization_id, provider_id, service_code, unit)
  WHERE valid_to IS NULL;

-- Projects (progetti) and what funds them; what was spent is summed from the deliveries.
CREATE TABLE project (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organization(id),
  code text NOT NULL CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9._/-]{0,31}$'),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  funding_source_code text NOT NULL REFERENCES funding_source(code),
  budget numeric(14, 2) NOT NULL CHECK (budget >= 0),
  start_on date NOT NULL,
  end_on date,
  created_by uuid REFERENCES operator(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (end_on IS NULL OR end_on >= start_on),
  UNIQUE (organization_id, code)
);

-- Interventions (intervento): a benefit decided for one person. The SIUSS columns keep INPS's own
-- codes (PS_PSA_SINA201812.xsd): PresenzaProvaMezzi, CaratterePrestazione, PeriodoErogazione,
-- PresaCarico, AreaUtenza. The ISEE used (ECONOMIC group) is copied at decision time: the benefit
-- was granted on that value, whatever the case file's ISEE says later.
CREATE TABLE intervention (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organization(id),
  office_id uuid NOT NULL REFERENCES office(id),
  person_id uuid NOT NULL REFERENCES person(id),
  case_file_id uuid REFERENCES case_file(id),
  care_plan_intervention_id uuid REFERENCES care_plan_intervention(id),
  service_code text NOT NULL,
  -- The standard code the service is (a regional custom code's mapping): the family in which the
  -- same help given twice is flagged, and the CodicePrestazione reported to INPS.
  standard_service_code text NOT NULL,
  provider_id uuid NOT NULL REFERENCES provider(id),
  contract_id uuid REFERENCES provider_contract(id),
  unit text NOT NULL CHECK (unit IN ('HOUR', 'DAY', 'ACCESS', 'MONTH', 'LUMP_SUM')),
  project_id uuid REFERENCES project(id),
  periodicity text NOT NULL CHECK (periodicity IN ('PERIODIC', 'OCCASIONAL')),
  -- PERIODIC: what each week or month brings (6 hours a week, 1 month of stay a month).
  period_unit text CHECK (period_unit IN ('WEEK', 'MONTH')),
  quantity_per_period numeric(10, 2) CHECK (quantity_per_period > 0),
  start_on date NOT NULL,
  end_on date,
  planned_quantity numeric(12, 2) CHECK (planned_quantity > 0),
  planned_amount numeric(14, 2) CHECK (planned_amount >= 0),
  -- Share of the cost paid by the beneficiary (compartecipazione), in percent.
  beneficiary_share_percent numeric(5, 2) NOT NULL DEFAULT 0
    CHECK (beneficiary_share_percent BETWEEN 0 AND 100),
  isee_value numeric(12, 2) CHECK (isee_value >= 0),
  isee_dsu_protocol text,
  isee_dsu_on date,
  means_test text NOT NULL CHECK (means_test IN ('1', '2', '3', '4')),
  benefit_character text NOT NULL CHECK (benefit_character IN ('1', '2')),
  period_months smallint CHECK (period_months BETWEEN 1 AND 12),
  taken_in_care text NOT NULL CHECK (taken_in_care IN ('1', '2')),
  user_area text CHECK (user_area IN ('1', '2', '3')),
  -- ProtocolloDomanda: the application's protocol number, which INPS requires.
  application_protocol text NOT NULL CHECK (length(application_protocol) BETWEEN 1 AND 50),
  -- The benefit must reach SIUSS (an individual benefit with an INPS code).
  siuss_required boolean NOT NULL,
  status text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'CLOSED', 'CANCELLED')),
  notes text,
  created_by uuid REFERENCES operator(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (end_on IS NULL OR end_on >= start_on),
  CHECK ((periodicity = 'PERIODIC') = (period_unit IS NOT NULL AND quantity_per_period IS NOT NULL)),
  CHECK ((periodicity = 'PERIODIC') = (benefit_character = '1')),
  -- ISEE-dependent benefits (PresenzaProvaMezzi 1) carry the ISEE they were granted on.
  CHECK (means_test <> '1' OR (isee_value IS NOT NULL AND isee_dsu_protocol IS NOT NULL AND isee_dsu_on IS NOT NULL))
);
CREATE INDEX intervention_org_idx ON intervention (organization_id, start_on);
CREATE INDEX intervention_person_idx ON intervention (person_id);
CREATE INDEX intervention_provider_idx ON intervention (provider_id, start_on);
CREATE INDEX intervention_family_idx ON intervention (standard_service_code, start_on);

-- Deliveries (erogazioni). Spending is quantity × the tariff in force on the delivery date unless
-- an amount is given. Recorded by the office, by the provider (TO_VERIFY until the office accepts
-- or disputes it), or expected by a periodic intervention's schedule. A correction supersedes the
-- delivery it corrects (CORRECTED), so that nothing is counted twice.
CREATE TABLE delivery (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  intervention_id uuid NOT NULL REFERENCES intervention(id),
  -- Copied from the intervention: lists and the warehouse filter on them without a join.
  organization_id uuid NOT NULL REFERENCES organization(id),
  office_id uuid NOT NULL REFERENCES office(id),
  person_id uuid NOT NULL REFERENCES person(id),
  provider_id uuid NOT NULL REFERENCES provider(id),
  service_code text NOT NULL,
  delivered_on date NOT NULL,
  quantity numeric(10, 2) NOT NULL CHECK (quantity > 0),
  unit text NOT NULL CHECK (unit IN ('HOUR', 'DAY', 'ACCESS', 'MONTH', 'LUMP_SUM')),
  tariff_id uuid REFERENCES tariff(id),
  unit_cost numeric(12, 2),
  amount numeric(14, 2) NOT NULL CHECK (amount >= 0),
  amount_source text NOT NULL CHECK (amount_source IN ('TARIFF', 'GIVEN')),
  beneficiary_share numeric(14, 2) NOT NULL DEFAULT 0 CHECK (beneficiary_share >= 0),
  status text NOT NULL CHECK (status IN (
    'EXPECTED', 'RECORDED', 'TO_VERIFY', 'ACCEPTED', 'DISPUTED', 'CORRECTED', 'CANCELLED')),
  recorded_by_kind text NOT NULL CHECK (recorded_by_kind IN ('OFFICE', 'PROVIDER', 'SCHEDULE')),
  -- Operator username or partner client id.
  recorded_by text,
  -- The provider's own identifier of the delivery: a resubmission answers with the stored row.
  provider_reference text CHECK (length(provider_reference) BETWEEN 1 AND 100),
  dispute_reason text,
  verified_by uuid REFERENCES operator(id),
  verified_at timestamptz,
  corrects_id uuid REFERENCES delivery(id),
  note text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((amount_source = 'TARIFF') = (tariff_id IS NOT NULL)),
  CHECK ((status = 'DISPUTED') = (dispute_reason IS NOT NULL)),
  UNIQUE (provider_id, provider_reference)
);
CREATE INDEX delivery_org_idx ON delivery (organization_id, delivered_on);
CREATE INDEX delivery_intervention_idx ON delivery (intervention_id, delivered_on);
CREATE INDEX delivery_person_idx ON delivery (person_id, delivered_on);
CREATE INDEX delivery_provider_idx ON delivery (provider_id, status, delivered_on);
-- A schedule expects one delivery per intervention and date: generating twice adds nothing.
CREATE UNIQUE INDEX delivery_one_expected_per_date ON delivery (intervention_id, delivered_on)
  WHERE recorded_by_kind = 'SCHEDULE';
-- At most one correction of a delivery.
CREATE UNIQUE INDEX delivery_one_correction ON delivery (corrects_id) WHERE corrects_id IS NOT NULL;

-- The same kind of help (one standard service code) given to one person (one codice fiscale,
-- whoever registered it) by two offices in overlapping periods. Each office is told only that
-- the overlap exists and whom to contact (deliveries/benefit-overlap.ts).
CREATE TABLE benefit_overlap (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- The pair in id order: one row per pair.
  intervention_id uuid NOT NULL REFERENCES intervention(id),
  other_intervention_id uuid NOT NULL REFERENCES intervention(id),
  standard_service_code text NOT NULL,
  overlap_from date NOT NULL,
  overlap_to date,
  detected_at timestamptz NOT NULL DEFAULT now(),
  CHECK (intervention_id < other_intervention_id),
  UNIQUE (intervention_id, other_intervention_id)
);
CREATE INDEX benefit_overlap_other_idx ON benefit_overlap (other_intervention_id);
