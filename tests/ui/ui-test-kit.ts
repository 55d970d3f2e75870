import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { seriousViolations } from './ui-harness.ts';

// What every browser test file asks of the hub it started beside the page: GraphQL over HTTP to
// set up and check the store's state, a demo account's token, and axe-core's verdict. (The
// harness itself is shared with the UI bench, which does not run under vitest.)

// biome-ignore lint/suspicious/noExplicitAny: the assertions check the answers
export type Answer = { data?: any; errors?: { message: string; extensions?: { code?: string } }[] };

const LOGIN = 'mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }';

/** GraphQL against the hub at `url()` (read at each call: the hub starts in beforeAll). */
export function apiOf(url: () => string) {
  const gql = async (query: string, variables: Record<string, unknown> = {}, token?: string) => {
    const res = await fetch(`${url()}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as Answer;
  };
  const tokenOf = async (username: string, password = 'demo') =>
    (await gql(LOGIN, { u: username, p: password })).data.login.token as string;
  return { gql, tokenOf };
}

/** No serious or critical axe-core violation on the page, each named with its rule and target. */
export async function axeClean(page: Page, name: string) {
  const violations = await seriousViolations(page);
  expect(
    violations.map((v) => `${name}: ${v.id} ${v.help} ${JSON.stringify(v.nodes[0]?.target)}`),
  ).toEqual([]);
}

// Dates as the page and the API take them, in the machine's own day (the browser's too).
const pad = (n: number) => String(n).padStart(2, '0');
/** A local day as the API writes it: yyyy-mm-dd. */
export const isoOf = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
export const todayIso = () => isoOf(new Date());
/** An API date as the page shows it: gg/mm/aaaa. */
export const itOf = (iso: string) => iso.split('-').reverse().join('/');
/** The day `offset` days from today, as typed in a date field: gg/mm/aaaa. */
export const itDay = (offset: number) => {
  const d = new Date();
  d.setDate(d.getDate() + offset);
  return itOf(isoOf(d));
};
