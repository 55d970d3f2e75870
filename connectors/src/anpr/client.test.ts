import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openApiValidator } from '../shared/openapi-validator.ts';
import type { SimPerson } from '../simulators/population.ts';
import { startAnprWorld } from '../testing/anpr-world.ts';
import type { AnprCallContext, AnprExchange } from './client.ts';
import { familyOf, idAnprOf, personOf } from './map-person.ts';
import { ANPR_SERVICES, type AnprServiceCode } from './services.ts';

// Every request the client sends and every answer it gets is checked here against the
// e-service's OpenAPI file, on top of the checks the simulator and the client make themselves.
let tamper: ((body: string) => string) | null = null;
let strip: string | null = null;
let sent = 0;
const validated: string[] = [];
const contractFetch: typeof fetch = async (input, init) => {
  const url = decodeURIComponent(String(input));
  const service = (
    Object.values(ANPR_SERVICES).find((s) => url.includes(`/${s.path}/`)) ?? ANPR_SERVICES.C030
  ).code;
  const spec = ANPR_SERVICES[service];
  const body = String(init?.body);
  expect(openApiValidator(spec.requestSpec).validate('RichiestaE002', JSON.parse(body))).toEqual({
    ok: true,
  });
  const headers = new Headers(init?.headers);
  for (const h of ['authorization', 'agid-jwt-signature', 'agid-jwt-trackingevidence', 'digest']) {
    expect(headers.has(h), h).toBe(true);
  }
  if (strip) headers.delete(strip);
  sent++;
  const res = await fetch(input, { ...init, headers, body: tamper ? tamper(body) : body });
  const text = await res.clone().text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return res;
  }
  // A malformed answer is injected on purpose: the client must refuse it (tested below).
  if (world.anpr.faults.plan?.kinds.includes('malformed')) return res;
  const schema = res.ok ? 'RispostaE002OK' : 'RispostaKO';
  expect(openApiValidator(spec.responseSpec).validate(schema, json)).toEqual({ ok: true });
  validated.push(`${service}:${res.status}`);
  return res;
};

const exchanges: AnprExchange[] = [];
let world: Awaited<ReturnType<typeof startAnprWorld>>;
let person: SimPerson;
const ctx: AnprCallContext = {
  reason: 'PROT-2026-000123',
  operatorId: 'op.rossi',
  workstation: 'sportello-perugia-1',
};

beforeAll(async () => {
  world = await startAnprWorld({
    families: 60,
    fetch: contractFetch,
    onExchange: (e) => exchanges.push(e),
    policy: { retries: 0, timeoutMs: 2000 },
  });
  person = world.population.persons.find((p) => world.population.members(p.familyId).length >= 3)!;
});
afterAll(() => world.close());
beforeEach(() => {
  tamper = null;
  strip = null;
  world.anpr.faults.set(null);
  world.pdnd.faults.set(null);
});

describe('ANPR consultation e-services over HTTP, against the simulator', () => {
  it('C030 should give the idANPR of a codice fiscale', async () => {
    const r = await world.client.consult('C030', { taxCode: person.taxCode }, ctx);
    expect(idAnprOf(r)).toBe(person.idAnpr);
  });

  it('C020 should give the residence, each field with its source', async () => {
    const r = await world.client.consult('C020', { idAnpr: person.idAnpr }, ctx);
    const p = personOf(r, 'C020', '2026-12-02T10:00:00Z');
    expect(p.residence?.value).toMatchObject({
      municipalityIstat: person.residence.municipality.istat,
      postcode: person.residence.cap,
      address: `VIA ${person.residence.street} ${person.residence.number}`,
      since: person.residence.since,
    });
    expect(p.taxCode?.value).toBe(person.taxCode);
    expect(p.residence?.source).toMatchObject({
      counterpart: 'ANPR',
      service: 'C020',
      retrievedAt: '2026-12-02T10:00:00Z',
    });
    expect(p.residence?.source.anprOperationId).toBeTruthy();
  });

  it('C021 should give every member of the family with the relation', async () => {
    const r = await world.client.consult('C021', { taxCode: person.taxCode }, ctx);
    const members = familyOf(r);
    expect(members.map((m) => m.taxCode).sort()).toEqual(
      world.population
        .members(person.familyId)
        .map((m) => m.taxCode)
        .sort(),
    );
    expect(members.find((m) => m.relationCode === '1')?.relation).toBe('INTESTATARIO SCHEDA');
  });

  it.each(['C015', 'C018', 'C019'] as AnprServiceCode[])(
    '%s should answer in the same request shape',
    async (s) => {
      const r = await world.client.consult(s, { taxCode: person.taxCode }, ctx);
      expect(personOf(r, s, 'now').lastName?.value).toBe(person.lastName);
    },
  );

  it('should report an unknown codice fiscale as not found', async () => {
    await expect(
      world.client.consult('C030', { taxCode: 'RSSMRA80A01H501U' }, ctx),
    ).rejects.toMatchObject({
      code: 'SUBJECT_NOT_FOUND',
      details: { remoteCode: 'EN404' },
    });
  });

  it('should not call ANPR without the reason of the request', async () => {
    const before = sent;
    await expect(
      world.client.consult('C030', { taxCode: person.taxCode }, { ...ctx, reason: ' ' }),
    ).rejects.toMatchObject({
      code: 'REASON_REQUIRED',
      details: { field: 'motivoRichiesta' },
    });
    expect(sent).toBe(before);
  });

  it('should write one audit line per exchange, naming who, what, whom and why, without secrets', async () => {
    exchanges.length = 0;
    await world.client.consult('C030', { taxCode: person.taxCode }, ctx);
    expect(exchanges).toEqual([
      expect.objectContaining({
        service: 'C030',
        operatorId: 'op.rossi',
        reason: 'PROT-2026-000123',
        subject: person.taxCode,
        outcome: 'ok',
      }),
    ]);
    expect(JSON.stringify(exchanges)).not.toMatch(/eyJ|PRIVATE KEY/);
  });
});

describe('the simulator refuses what ModI and PDND do not allow', () => {
  it('should refuse a body tampered with after signing (the digest no longer matches)', async () => {
    tamper = (b) => b.replace('PROT-2026-000123', 'PROT-2026-999999');
    await expect(
      world.client.consult('C030', { taxCode: person.taxCode }, ctx),
    ).rejects.toMatchObject({ code: 'DIGEST_MISMATCH' });
    expect(world.anpr.stats.refused).toBeGreaterThan(0);
  });

  it.each([
    ['agid-jwt-signature', 'SIGNATURE_INVALID'],
    ['agid-jwt-trackingevidence', 'SIGNATURE_INVALID'],
    ['authorization', 'VOUCHER_REFUSED'],
  ])('should refuse a request without %s', async (header, code) => {
    strip = header;
    await expect(
      world.client.consult('C030', { taxCode: person.taxCode }, ctx),
    ).rejects.toMatchObject({ code });
  });

  it('should get a new voucher once when PDND issued an expired one', async () => {
    world.vouchers.forget({ purposeId: 'purpose-c020' });
    world.pdnd.faults.set({ rate: 1, kinds: ['expiredVoucher'], limit: 1 });
    const issued = world.pdnd.stats.issued;
    const fresh = { ...ctx, operatorId: 'op.expired' };
    // The first voucher is stale; the client drops it and asks again (now a good one).
    await expect(
      world.client.consult('C020', { taxCode: person.taxCode }, fresh),
    ).resolves.toHaveProperty('idOperazioneANPR');
    expect(world.pdnd.stats.issued - issued).toBe(2);
  });
});

describe('the client refuses answers it cannot trust', () => {
  it.each([
    ['unsigned', 'RESPONSE_UNSIGNED'],
    ['wrongDigest', 'DIGEST_MISMATCH'],
    ['malformed', 'RESPONSE_INVALID'],
    ['http5xx', 'COUNTERPART_UNAVAILABLE'],
  ] as const)('should turn a %s answer into %s', async (kind, code) => {
    world.anpr.faults.set({ rate: 1, kinds: [kind] });
    await expect(
      world.client.consult('C030', { taxCode: person.taxCode }, ctx),
    ).rejects.toMatchObject({ code });
  });

  it('should have validated answers of every kind against the spec files', () => {
    expect(validated).toEqual(
      expect.arrayContaining(['C030:200', 'C020:200', 'C021:200', 'C030:404', 'C030:400']),
    );
  });
});
