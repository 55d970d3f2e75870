-- The warehouse's change log (issue 10): every change the warehouse depends on leaves a line here
-- in the same transaction as the change itself, written by triggers so that no write path (the
-- services, rule 2's erasure, the demo loader, a bulk load, a hand-run UPDATE) can forget it.
-- A line names the entity whose facts must be derived again (an intake record, a case file, a
-- person whose age, sex, citizenship or residence feed both) or says that a dimension changed.
-- The ETL (etl/src/incremental.ts) reads the lines, applies them to DuckDB and then deletes
-- exactly the lines it applied: a line committed late with a lower number stays for the next
-- run, so none is lost, and the table stays as small as the backlog.
-- Cheap by design: statement-level triggers write one line per entity a statement touched
-- (transition tables), not one per row event, and no payload: the ETL reads the current state.
CREATE TABLE warehouse_change (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  entity text NOT NULL CHECK (entity IN ('intake', 'case', 'person', 'dimension')),
  entity_id uuid
);

-- TG_ARGV[0]: the entity; TG_ARGV[1]: the column of the changed rows that names it.
CREATE FUNCTION warehouse_change_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    EXECUTE format('INSERT INTO warehouse_change (entity, entity_id)
                    SELECT DISTINCT %L, %I FROM changed_new WHERE %I IS NOT NULL',
                   TG_ARGV[0], TG_ARGV[1], TG_ARGV[1]);
  END IF;
  IF TG_OP = 'DELETE' THEN
    EXECUTE format('INSERT INTO warehouse_change (entity, entity_id)
                    SELECT DISTINCT %L, %I FROM changed_old WHERE %I IS NOT NULL',
                   TG_ARGV[0], TG_ARGV[1], TG_ARGV[1]);
  ELSIF TG_OP = 'UPDATE' THEN
    -- An update that moves a row to another entity (a need moved to another record) touches both.
    EXECUTE format('INSERT INTO warehouse_change (entity, entity_id)
                    SELECT DISTINCT %L, o.%I FROM changed_old o WHERE o.%I IS NOT NULL
                       AND NOT EXISTS (SELECT 1 FROM changed_new n WHERE n.%I = o.%I)',
                   TG_ARGV[0], TG_ARGV[1], TG_ARGV[1], TG_ARGV[1], TG_ARGV[1]);
  END IF;
  RETURN NULL;
END
$$;

-- Coded lists and the territory are small: a change of any of them reloads the dimensions.
CREATE FUNCTION warehouse_change_dimension() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO warehouse_change (entity) VALUES ('dimension');
  RETURN NULL;
END
$$;

-- A PostgreSQL trigger with transition tables takes one event: three per table.
DO $$
DECLARE
  t record;
BEGIN
  FOR t IN SELECT * FROM (VALUES
      ('intake_record', 'intake', 'id'),
      ('intake_need', 'intake', 'intake_id'),
      ('intake_service_request', 'intake', 'intake_id'),
      ('case_file', 'case', 'id'),
      ('case_status_history', 'case', 'case_file_id'),
      ('person', 'person', 'id')) AS v(tab, entity, col)
  LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS changed_new
                    FOR EACH STATEMENT EXECUTE FUNCTION warehouse_change_rows(%L, %L)',
                   t.tab || '_wh_ins', t.tab, t.entity, t.col);
    EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I
                    REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new
                    FOR EACH STATEMENT EXECUTE FUNCTION warehouse_change_rows(%L, %L)',
                   t.tab || '_wh_upd', t.tab, t.entity, t.col);
    EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS changed_old
                    FOR EACH STATEMENT EXECUTE FUNCTION warehouse_change_rows(%L, %L)',
                   t.tab || '_wh_del', t.tab, t.entity, t.col);
  END LOOP;
  FOR t IN SELECT * FROM (VALUES ('region'), ('social_district'), ('municipality'),
      ('organization'), ('office'), ('contact_point'), ('need_code'), ('target_area')) AS v(tab)
  LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I
                    FOR EACH STATEMENT EXECUTE FUNCTION warehouse_change_dimension()',
                   t.tab || '_wh_dim', t.tab);
  END LOOP;
END
$$;

-- The ETL's runs, for the history in GraphQL and for the provenance of each number.
CREATE TABLE etl_run (
  id bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
  kind text NOT NULL CHECK (kind IN ('FULL', 'INCREMENTAL')),
  started_at timestamptz NOT NULL DEFAULT now(),
  ended_at timestamptz,
  status text NOT NULL DEFAULT 'RUNNING' CHECK (status IN ('RUNNING', 'OK', 'FAILED', 'SKIPPED')),
  rows_loaded bigint NOT NULL DEFAULT 0,
  changes_applied integer NOT NULL DEFAULT 0,
  last_change_seq bigint,
  error text
);
CREATE INDEX etl_run_started_idx ON etl_run (started_at DESC);
