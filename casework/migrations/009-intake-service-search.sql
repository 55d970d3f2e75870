-- Intake search by requested service at a million records on PostgreSQL 15 and 16
-- (tests/bench/intake.bench.ts, "requested service"): p95 65.8 ms there, 26 ms on PGlite.
-- The list walked intake_time_org_idx newest first and probed intake_service_request for each
-- record: for a rarely requested service, most of a year of records before a page was full. On
-- 15 and 16 the planner cannot even keep that walk's order with `organization_id = ANY(…)` (17
-- and later can, see 004). The fix: the time and the organisation of the record are copied onto
-- each service request, so that a search by service walks the requests of that service newest
-- first, in one index that also holds the organisation (an index-only scan that stops when the
-- page is full, the organisation tested in the index on every version), and reads only the
-- records it returns.
-- The copies are kept in step by triggers, so no write path (the services, the demo generator,
-- bulk loads, sending a record to another organisation's desk) can leave them behind:
-- - a service request takes them from its record when it is written;
-- - a record whose organisation or time changes passes them on to its requests.
ALTER TABLE intake_service_request ADD COLUMN organization_id uuid;
ALTER TABLE intake_service_request ADD COLUMN occurred_at timestamptz;
UPDATE intake_service_request s
   SET organization_id = r.organization_id, occurred_at = r.occurred_at
  FROM intake_record r WHERE r.id = s.intake_id;
ALTER TABLE intake_service_request ALTER COLUMN organization_id SET NOT NULL;
ALTER TABLE intake_service_request ALTER COLUMN occurred_at SET NOT NULL;

CREATE FUNCTION intake_service_request_copy_record() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT r.organization_id, r.occurred_at INTO NEW.organization_id, NEW.occurred_at
    FROM intake_record r WHERE r.id = NEW.intake_id;
  RETURN NEW;
END
$$;
-- On every insert, and on an update that touches the record or the copies themselves: whatever a
-- statement writes there, the copies are the record's.
CREATE TRIGGER intake_service_request_copy_record
  BEFORE INSERT OR UPDATE OF intake_id, organization_id, occurred_at ON intake_service_request
  FOR EACH ROW EXECUTE FUNCTION intake_service_request_copy_record();

CREATE FUNCTION intake_record_copy_to_service_requests() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE intake_service_request
     SET organization_id = NEW.organization_id, occurred_at = NEW.occurred_at
   WHERE intake_id = NEW.id;
  RETURN NULL;
END
$$;
CREATE TRIGGER intake_record_copy_to_service_requests
  AFTER UPDATE OF organization_id, occurred_at ON intake_record
  FOR EACH ROW
  WHEN (OLD.organization_id IS DISTINCT FROM NEW.organization_id
        OR OLD.occurred_at IS DISTINCT FROM NEW.occurred_at)
  EXECUTE FUNCTION intake_record_copy_to_service_requests();

-- The search's order (newest first, then id) after the service, the organisation last: an index
-- condition on 17 and later, a test on the index tuple on 15 and 16, never a heap visit.
CREATE INDEX intake_service_search_idx
  ON intake_service_request (service_code, occurred_at DESC, intake_id DESC, organization_id);
-- Its leading column serves every look-up the old (service_code, intake_id) index served.
DROP INDEX intake_service_code_idx;
