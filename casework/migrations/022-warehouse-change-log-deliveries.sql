-- The deliveries tables (migration 014) in the warehouse's change log (migration 020), so that the
-- deliveries and SIUSS cubes find their changes logged from the day they are built: interventions
-- and deliveries by their own id, the provider, project, funding and tariff lists as dimensions.
-- Until those cubes exist the ETL reads these lines and has nothing to derive from them.
ALTER TABLE warehouse_change DROP CONSTRAINT warehouse_change_entity_check;
ALTER TABLE warehouse_change ADD CONSTRAINT warehouse_change_entity_check
  CHECK (entity IN ('intake', 'case', 'person', 'dimension', 'intervention', 'delivery'));

DO $$
DECLARE
  t record;
BEGIN
  FOR t IN SELECT * FROM (VALUES
      ('intervention', 'intervention', 'id'),
      ('delivery', 'delivery', 'id')) AS v(tab, entity, col)
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
  FOR t IN SELECT * FROM (VALUES ('provider'), ('project'), ('funding_source'), ('tariff')) AS v(tab)
  LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I
                    FOR EACH STATEMENT EXECUTE FUNCTION warehouse_change_dimension()',
                   t.tab || '_wh_dim', t.tab);
  END LOOP;
END
$$;
