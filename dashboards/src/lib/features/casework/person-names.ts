import type { GraphQLClient } from '../../api/graphql-client.ts';
import { type PersonName, personNamesQuery } from './case-queries.ts';

const BATCH = 25;

/** "Cognome Nome" of each person id, in batches of aliased look-ups; a refused one is skipped. */
export async function loadPersonNames(
  client: GraphQLClient,
  ids: readonly string[],
): Promise<Record<string, string>> {
  const unique = [...new Set(ids)];
  const names: Record<string, string> = {};
  for (let i = 0; i < unique.length; i += BATCH) {
    const batch = unique.slice(i, i + BATCH);
    try {
      const d = await client.request<Record<string, PersonName>>(personNamesQuery(batch));
      for (const p of Object.values(d))
        names[p.id] =
          [p.lastName, p.firstName].filter(Boolean).join(' ') || p.alias || p.taxCode || '';
    } catch {
      // Names are a convenience of the list; the case file itself says who it is.
    }
  }
  return names;
}
