/** The statements that (re)build the rollups of a build; filled with the cube model's rollups. */
export function rollupRefreshSql(_schema: string, _changed: readonly string[] | null): string[] {
  return [];
}
