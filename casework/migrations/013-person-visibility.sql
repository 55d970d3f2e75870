-- The visibility rule of persons/person.access.ts as one PL/pgSQL function. Written inline, its
-- four sub-plans cost more to plan (about 2 ms on PGlite) than to run (under 1 ms), at every
-- look-up; a PL/pgSQL function keeps its plan for the session. The rule in words is beside the
-- code that calls it (person.access.ts): owner, latest decision GIVEN, judicial mandate, own
-- intake records or case files.
CREATE FUNCTION person_visible_to(p_id uuid, p_owner uuid, orgs uuid[]) RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
BEGIN
  IF orgs IS NULL OR p_owner = ANY (orgs) THEN
    RETURN true;
  END IF;
  RETURN EXISTS (
           SELECT 1 FROM consent c
            WHERE c.person_id = p_id AND c.organization_id = ANY (orgs)
              AND (c.legal_basis = 'JUDICIAL_MANDATE'
                   OR (c.status = 'GIVEN' AND NOT EXISTS (
                         SELECT 1 FROM consent l
                          WHERE l.person_id = c.person_id AND l.organization_id = c.organization_id
                            AND l.legal_basis <> 'JUDICIAL_MANDATE'
                            AND (l.decided_on, l.recorded_at) > (c.decided_on, c.recorded_at)))))
      OR EXISTS (SELECT 1 FROM intake_record r
                  WHERE r.subject_person_id = p_id AND r.organization_id = ANY (orgs)
                    AND r.deleted_at IS NULL)
      OR EXISTS (SELECT 1 FROM case_file f
                  WHERE f.person_id = p_id AND f.organization_id = ANY (orgs));
END
$$;
