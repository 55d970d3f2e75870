-- Issue 8, section 2: a deadline for deciding a judicial proposal (seed 003 1.3: the judicial
-- authority's report is always taken into care, so the office must decide it in time). The
-- consent on the case file for later accesses (rule 1) needs no table of its own: it is the
-- person's latest decision in `consent` towards the case's organisation.

-- How long an office has to decide (open or attach) a judicial proposal, per organisation; the
-- row without an organisation is the default. 30 days: with no other term set by the measure,
-- an administrative proceeding must end within thirty days (legge 241/1990, art. 2 c. 2), and
-- it leaves the social worker time for the report the court usually expects within 60–90 days.
CREATE TABLE judicial_proposal_deadline (
  organization_id uuid REFERENCES organization(id),
  days integer NOT NULL CHECK (days BETWEEN 1 AND 365),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX judicial_proposal_deadline_org_idx
  ON judicial_proposal_deadline ((coalesce(organization_id, '00000000-0000-0000-0000-000000000000'::uuid)));
INSERT INTO judicial_proposal_deadline (organization_id, days) VALUES (NULL, 30);

-- The due date is stored when the record is proposed, so a later change of the setting does not
-- move the deadlines already running; a proposal moved to another office keeps its clock.
ALTER TABLE intake_record ADD COLUMN decision_due_on date;

CREATE FUNCTION judicial_decision_due_on(org uuid, proposed_at timestamptz) RETURNS date
LANGUAGE sql STABLE AS $$
  SELECT (proposed_at AT TIME ZONE 'Europe/Rome')::date
       + coalesce((SELECT days FROM judicial_proposal_deadline WHERE organization_id = org),
                  (SELECT days FROM judicial_proposal_deadline WHERE organization_id IS NULL),
                  30)
$$;

UPDATE intake_record
   SET decision_due_on = judicial_decision_due_on(organization_id, coalesce(closed_at, updated_at))
 WHERE access_kind = 'JUDICIAL_AUTHORITY' AND outcome = 'PROPOSAL_TAKE_INTO_CARE';

-- Set at proposal time by whoever writes the row (the intake service, the demo loader, a test
-- fixture): the proposal is the moment the status becomes PROPOSED (closed_at, else now()).
CREATE FUNCTION set_judicial_decision_due_on() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.decision_due_on IS NULL AND (TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM 'PROPOSED') THEN
    NEW.decision_due_on := judicial_decision_due_on(NEW.organization_id, coalesce(NEW.closed_at, now()));
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER intake_judicial_decision_due
  BEFORE INSERT OR UPDATE OF status ON intake_record
  FOR EACH ROW WHEN (NEW.status = 'PROPOSED' AND NEW.access_kind = 'JUDICIAL_AUTHORITY')
  EXECUTE FUNCTION set_judicial_decision_due_on();

-- The alert list: undecided judicial proposals of an office by due date.
CREATE INDEX intake_judicial_due_idx ON intake_record (proposed_office_id, decision_due_on)
  WHERE status = 'PROPOSED' AND access_kind = 'JUDICIAL_AUTHORITY' AND deleted_at IS NULL;
