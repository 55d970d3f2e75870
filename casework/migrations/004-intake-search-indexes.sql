-- Intake search at a million records on the embedded store (tests/bench/intake.bench.ts).
-- An operator of a zona sociale sees several organisations (the union and its comuni), so a list
-- filtered by need or requested service walks intake_time_idx newest first and reads each record
-- from the heap only to test its organisation: in the bench, a Perugia desk discards about three
-- records in four that way (the other zones' ones) before it even probes the service. With
-- organization_id as a key column after the time, that test is an index condition: only the
-- operator's own records reach the heap and the probe. Measured on PGlite over 1,000,000
-- records, searches by each of the 21 requested-service codes: p95 31-34 ms without this index,
-- 26 ms with it (same store and process, index dropped and made again in turn).
-- PostgreSQL 17 and later (PGlite is 18) keep the index order with `organization_id = ANY(…)` on
-- a later key column; 15 and 16 do not, and their planner leaves this index aside for these lists.
CREATE INDEX intake_time_org_idx ON intake_record (occurred_at DESC, id DESC, organization_id)
  WHERE deleted_at IS NULL;
