-- Data-sharing agreements between organisations (issue 8, defect 10). Each comune, zona sociale,
-- ASL or provider is a data controller of its own: a case file's access list may grow to an
-- operator of another organisation, a referral reach one, or a partner organisation be granted
-- the case, only under an agreement recorded between the two (convenzione, protocollo d'intesa),
-- in force on the day. Within one organisation line (a comune and its zona sociale) none is needed.
CREATE TABLE data_sharing_agreement (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organization(id),
  partner_organization_id uuid NOT NULL REFERENCES organization(id),
  purpose text NOT NULL CHECK (length(purpose) BETWEEN 3 AND 500),
  -- The act that makes it: "Convenzione n. 12/2026", "Protocollo d'intesa del 3 marzo 2026".
  reference text NOT NULL CHECK (length(reference) BETWEEN 3 AND 200),
  valid_from date NOT NULL,
  valid_to date,
  recorded_by uuid REFERENCES operator(id),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  revoked_by uuid REFERENCES operator(id),
  CHECK (organization_id <> partner_organization_id),
  CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX data_sharing_pair_idx ON data_sharing_agreement (organization_id, partner_organization_id);
CREATE INDEX data_sharing_partner_idx ON data_sharing_agreement (partner_organization_id, organization_id);
