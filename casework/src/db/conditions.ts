/**
 * A WHERE clause built from the filters in use, and its parameters: each value becomes the next
 * `$n`, and only the conditions added reach the SQL (the planner sees a plain query per shape).
 *
 * @example
 * const c = conditions(['d.deleted_at IS NULL']);
 * if (f.personId) c.add((p) => `d.person_id = ${p}`, f.personId);
 * await q.query(`SELECT … WHERE ${c.sql()} LIMIT ${c.param(limit)}`, c.params);
 */
export function conditions(initial: readonly string[] = [], params: unknown[] = []) {
  const where = [...initial];
  const param = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  return {
    params,
    /** The value as the next parameter: its placeholder. */
    param,
    /** Conditions whose values are already parameters. */
    push(...sql: string[]): void {
      where.push(...sql);
    },
    /** A condition on one value: `sql` gets the value's placeholder. */
    add(sql: (placeholder: string) => string, value: unknown): void {
      where.push(sql(param(value)));
    },
    /** The conditions joined by AND (`true` when there are none). */
    sql(): string {
      return where.length > 0 ? where.join(' AND ') : 'true';
    },
  };
}
