// An organisation's line: itself, the organisations it contains (a zona sociale's comuni) and
// those that contain it below the region (a comune's zona sociale). Data stay within one
// service there; crossing the line needs a data-sharing agreement (data-sharing.ts).

/** The CTE `line` (ids) of the organisation in the SQL expression `param`. */
export const ORGANIZATION_LINE_SQL = (param: string) => `WITH RECURSIVE up AS (
       SELECT id, parent_id FROM organization WHERE id = ${param}
       UNION SELECT o.id, o.parent_id FROM organization o JOIN up ON o.id = up.parent_id),
     down AS (
       SELECT id FROM organization WHERE id = ${param}
       UNION SELECT o.id FROM organization o JOIN down ON o.parent_id = down.id),
     line AS (SELECT id FROM up WHERE parent_id IS NOT NULL OR id = ${param}
              UNION SELECT id FROM down)`;
