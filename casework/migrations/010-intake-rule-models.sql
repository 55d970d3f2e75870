-- What the consent rules ask and the intake record did not model yet (issue 8, section 2):
-- - rule 3's exception: a citizen who does not consent still gets the intervention a judge
--   ordered, and only that (the order and the services it names);
-- - the reporter's title to request services as an attested fact: which document, who attested
--   it and when, not a free boolean;
-- - rule 2's first interview: a public official's report carries the day by which the
--   subject's decision on consent is due, and is not closed without the decision;
-- - rule 6: a report of crime or risk about a person whose name is not known is still recorded,
--   with what is known of them.
ALTER TABLE intake_record
  ADD COLUMN judicial_order_ref text CHECK (length(judicial_order_ref) BETWEEN 3 AND 200),
  ADD COLUMN judicial_order_services text[],
  ADD COLUMN interlocutor_title_document text CHECK (length(interlocutor_title_document) BETWEEN 3 AND 300),
  ADD COLUMN interlocutor_title_attested_by uuid REFERENCES operator(id),
  ADD COLUMN interlocutor_title_attested_at timestamptz,
  ADD COLUMN consent_due_on date,
  ADD COLUMN unidentified_subject text CHECK (length(unidentified_subject) BETWEEN 3 AND 1000),
  ADD CONSTRAINT intake_judicial_order_services CHECK ((judicial_order_ref IS NULL) = (judicial_order_services IS NULL)),
  ADD CONSTRAINT intake_unidentified_only_crime CHECK (unidentified_subject IS NULL OR access_kind = 'CRIME_OR_RISK_REPORT');
-- The first-interview alert: reports whose decision on consent is due, per organisation.
CREATE INDEX intake_consent_due_idx ON intake_record (organization_id, consent_due_on)
  WHERE consent_due_on IS NOT NULL AND consent_status IS NULL AND deleted_at IS NULL;
