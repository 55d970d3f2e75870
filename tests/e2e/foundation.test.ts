import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_PERSON } from '@hub/casework/demo';
import { type Hub, readConfig, startHub } from '@hub/gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Issue 3, "what it must show": a fresh data folder, the demo region loaded at start, a look-up
// by codice fiscale granted to the front desk of the person's zone and refused to another
// organisation, both in the audit log.
describe('a fresh hub with the demo region', () => {
  let dir: string;
  let hub: Hub;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hub-e2e-'));
    const config = readConfig(
      { DATA_DIR: dir, DEMO_PERSONS: '300', DEMO_INTAKE_PER_THOUSAND: '1', NODE_ENV: 'test' },
      dir,
    );
    hub = await startHub(config);
    // Its own timeout: the demo region and the first ETL run take minutes on a loaded machine
    // (CI runs the browser suites beside it).
  }, 600_000);
  afterAll(async () => {
    await hub.close();
    await rm(dir, { recursive: true, force: true });
  });

  const gql = async (query: string, token?: string) => {
    const res = await hub.app.request('/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query }),
    });
    // biome-ignore lint/suspicious/noExplicitAny: GraphQL answers are checked by the assertions
    type Data = Record<string, any>;
    return (await res.json()) as {
      data?: Data | null;
      errors?: { extensions?: { code?: string } }[];
    };
  };
  const login = async (username: string) =>
    (await gql(`mutation { login(username: "${username}", password: "demo") { token } }`)).data
      ?.login.token as string;
  const lookUp = (token: string) =>
    gql(`{ personByTaxCode(taxCode: "${DEMO_PERSON.taxCode}") { id firstName lastName } }`, token);

  it('should be healthy and serve GraphiQL', async () => {
    expect(hub.demoLoaded).toBe(true);
    const health = await hub.app.request('/health');
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    const page = await hub.app.request('/graphql', { headers: { accept: 'text/html' } });
    expect(await page.text()).toContain('GraphiQL');
  });

  it('should grant the front desk of Perugia, refuse Terni, and audit both', async () => {
    const granted = await lookUp(await login('sportello.perugia'));
    expect(granted.data?.personByTaxCode).toMatchObject({
      firstName: 'Maria',
      lastName: 'Bianchi',
    });
    const personId = granted.data?.personByTaxCode.id as string;

    // Terni holds no legal basis for Perugia's person: it learns nothing, not even that it exists.
    const refused = await lookUp(await login('sportello.terni'));
    expect(refused).toEqual({ data: { personByTaxCode: null } });

    const audit = await gql(
      `{ auditLog(personId: "${personId}", limit: 10) { actorId action outcome } }`,
      await login('admin'),
    );
    expect(audit.data?.auditLog).toEqual(
      expect.arrayContaining([
        { actorId: 'sportello.perugia', action: 'READ', outcome: 'OK' },
        { actorId: 'sportello.terni', action: 'READ', outcome: 'DENIED' },
      ]),
    );
  });

  it('should refuse the audit log to a front-desk operator', async () => {
    const res = await gql('{ auditLog { id } }', await login('sportello.perugia'));
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('should start an empty store without the demo when DEMO=0', async () => {
    const empty = await startHub(readConfig({ DATA_DIR: join(dir, 'other'), DEMO: '0' }, dir));
    expect(empty.demoLoaded).toBe(false);
    expect(await empty.db.query('SELECT 1 FROM operator')).toEqual([]);
    await empty.close();
  });
});
