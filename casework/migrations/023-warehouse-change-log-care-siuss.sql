-- The warehouse's change log (migration 020) for the facts of care plans and SIUSS duties (issue
-- 10): a care plan and its reviews by the plan's id, a SIUSS duty by its delivery (the duty's key
-- in the warehouse), and the service catalog, whose titles and hierarchy are a dimension.
ALTER TABLE warehouse_change DROP CONSTRAINT warehouse_change_entity_check;
ALTER TABLE warehouse_change ADD CONSTRAINT warehouse_change_entity_check
  CHECK (entity IN ('intake', 'case', 'person', 'dimension', 'intervention', 'delivery', 'care_plan'));

DO $$
DECLARE
  t record;
BEGIN
  FOR t IN SELECT * FROM (VALUES
      ('care_plan', 'care_plan', 'id'),
      ('care_plan_review', 'care_plan', 'care_plan_id'),
      ('siuss_duty', 'delivery', 'delivery_id')) AS v(tab, entity, col)
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
  CREATE TRIGGER service_catalog_wh_dim AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON service_catalog
    FOR EACH STATEMENT EXECUTE FUNCTION warehouse_change_dimension();
END
$$;
