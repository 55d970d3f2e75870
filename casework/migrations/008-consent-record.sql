-- Consent as a first-class record of the person and the organisation (issue 8, defect 8 and
-- section 2): who decided (the person, or their legal representative, named), recordable at any
-- time, not only on an open intake record. A person under guardianship (tutela, curatela,
-- amministrazione di sostegno with representation) consents through the representative, as a
-- minor does; the store knows it, so rule 4 can be enforced.
ALTER TABLE consent ADD COLUMN given_by text CHECK (given_by IN ('SUBJECT', 'LEGAL_REPRESENTATIVE'));
ALTER TABLE consent ADD COLUMN representative_name text CHECK (length(representative_name) <= 200);
ALTER TABLE consent ADD COLUMN notes text CHECK (length(notes) <= 2000);
ALTER TABLE person ADD COLUMN under_guardianship boolean NOT NULL DEFAULT false;
