-- Each organisation registers the persons it serves (issue 8, defect 1). Every comune and zona
-- sociale is a data controller of its own: a codice fiscale typed at Terni's desk must not link
-- (and so reveal) the person Perugia registered. The same codice fiscale may now be registered
-- once per organisation; visibility comes from the organisation's own legal basis only
-- (casework/src/persons/person.access.ts).
ALTER TABLE person DROP CONSTRAINT person_tax_code_key;
CREATE UNIQUE INDEX person_tax_code_owner_key ON person (tax_code, owner_organization_id)
  NULLS NOT DISTINCT WHERE tax_code IS NOT NULL;
-- The visibility check reads an organisation's latest decision per person.
CREATE INDEX consent_org_person_idx ON consent (organization_id, person_id, decided_on DESC, recorded_at DESC);
