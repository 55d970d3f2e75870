-- Registry change notices become one per notification and case file, with each operator's read
-- state beside them. Until now a notice was written once per operator enabled on the case file
-- when the change arrived (030), so an operator enabled later never saw it; who may read a
-- notice was already decided when it is read (person-change-notice.service.ts: enabled now, the
-- case file open, its organisation visible), so the per-operator copy only carried read_at.
CREATE TABLE person_change_notice_read (
  notice_id uuid NOT NULL REFERENCES person_change_notice(id) ON DELETE CASCADE,
  operator_id uuid NOT NULL REFERENCES operator(id),
  read_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (notice_id, operator_id)
);

-- The existing rows are kept: the first row of each (notification, case file) is the notice
-- (its id, text and date stay), and every operator who had read their copy has read it.
CREATE TEMPORARY TABLE notice_keep ON COMMIT DROP AS
SELECT id, first_value(id) OVER (
         PARTITION BY notification_id, case_file_id ORDER BY created_at, id) AS keep_id,
       operator_id, read_at
  FROM person_change_notice;

INSERT INTO person_change_notice_read (notice_id, operator_id, read_at)
SELECT keep_id, operator_id, min(read_at)
  FROM notice_keep WHERE read_at IS NOT NULL
 GROUP BY keep_id, operator_id;

DELETE FROM person_change_notice n USING notice_keep k WHERE k.id = n.id AND k.keep_id <> n.id;

-- Dropping the columns drops 030's unique constraint and unread index and 060's operator index.
ALTER TABLE person_change_notice DROP COLUMN operator_id, DROP COLUMN read_at;
ALTER TABLE person_change_notice
  ADD CONSTRAINT person_change_notice_once UNIQUE (notification_id, case_file_id);
-- The operators' list walks the notices of the case files they are enabled on, newest first.
CREATE INDEX person_change_notice_case_idx
  ON person_change_notice (case_file_id, created_at DESC, id DESC);
