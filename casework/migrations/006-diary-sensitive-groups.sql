-- The case file's automatic diary lines state what they record: a Barthel score, that a court
-- measure or an ISEE was recorded, the facility of a placement, the name of a health or court
-- document (issue 8, defect 4). Each line now carries the sensitive group of what it states, as
-- the intake diary does, and a desk that masks the group does not receive it
-- (casework/src/case-file/dossier/dossier.store.ts). Existing lines are classified by their kind.
ALTER TABLE diary_entry
  ADD COLUMN sensitive_group text CHECK (sensitive_group IN ('HEALTH', 'JUDICIAL', 'PERMIT', 'ECONOMIC'));

-- Barthel: a health assessment (its line states the score).
UPDATE diary_entry d SET sensitive_group = 'HEALTH'
 WHERE d.diary_type_id = 9
    OR (d.source_kind = 'assessment'
        AND EXISTS (SELECT 1 FROM assessment a WHERE a.id = d.source_id AND a.kind = 'BARTHEL'));
UPDATE diary_entry SET sensitive_group = 'JUDICIAL'
 WHERE diary_type_id = 19 OR source_kind = 'case_court_measure';
UPDATE diary_entry SET sensitive_group = 'ECONOMIC'
 WHERE diary_type_id = 12 OR source_kind = 'case_isee';
-- A residential facility (an RSA, a therapeutic community) tells of the person's health.
UPDATE diary_entry SET sensitive_group = 'HEALTH' WHERE source_kind = 'residential_placement';
-- Documents: by subfolder (1 court, 5 economic contributions, 6 health, 8 psychological support),
-- as DOCUMENT_SUBFOLDERS in casework/src/case-file/documents/document.service.ts.
UPDATE diary_entry d
   SET sensitive_group = CASE doc.subfolder
         WHEN 1 THEN 'JUDICIAL' WHEN 5 THEN 'ECONOMIC' WHEN 6 THEN 'HEALTH' WHEN 8 THEN 'HEALTH' END
  FROM case_document doc
 WHERE d.source_kind = 'case_document' AND doc.id = d.source_id AND doc.subfolder IN (1, 5, 6, 8);
