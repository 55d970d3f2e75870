import { CASE_CODE_LISTS } from '@hub/casework';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app.ts';

// caseCodeLists: the codes the case file's forms offer are the codes its mutations take (the
// same tables), to any signed-in caller and to nobody else.

const QUERY = `query { caseCodeLists {
  work { code label } housing { code label } education { code label }
  invalidityCertification { code label } invalidityEvidence { code label } disabilityType { code label } } }`;

describe('caseCodeLists', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('should give a signed-in operator every list, as the service checks them', async () => {
    const token = await t.login('as.pg');
    const { body } = await t.gql(QUERY, {}, token);
    expect(body.errors).toBeUndefined();
    const lists = (
      body.data as { caseCodeLists: Record<string, { code: string; label: string }[]> }
    ).caseCodeLists;
    for (const [name, list] of Object.entries(CASE_CODE_LISTS))
      expect(lists[name], name).toEqual(list.map((c) => ({ code: c.code, label: c.label })));
    expect(lists.invalidityCertification?.map((c) => c.code)).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
      '8',
    ]);
    expect(lists.disabilityType?.map((c) => c.code)).toEqual(['1', '2', '3', '4']);
    expect(lists.housing?.some((c) => c.code === 'NO_FIXED_ABODE')).toBe(true);
  });

  it('should refuse a caller who is not signed in', async () => {
    const { body } = await t.gql(QUERY);
    expect(body.data?.caseCodeLists ?? null).toBeNull();
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
