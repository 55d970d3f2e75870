import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import {
  type CryptoKey,
  exportJWK,
  generateKeyPair,
  type JSONWebKeySet,
  type KeyObject,
  SignJWT,
} from 'jose';
import { ANPR_SERVICES, type AnprServiceCode } from '../anpr/services.ts';
import type { RichiestaE002, RispostaKO, TipoDatiSoggettiEnte } from '../anpr/types.ts';
import { isConnectorError } from '../errors.ts';
import { digestHeader } from '../pdnd/modi.ts';
import { createModiVerifier } from '../pdnd/verify-modi.ts';
import { createVoucherVerifier, type VoucherClaims } from '../pdnd/verify-voucher.ts';
import { openApiValidator } from '../shared/openapi-validator.ts';
import { generalitaOf, residenzaOf, subjectFor } from './anpr-records.ts';
import { createFaults, type FaultPlan, sleep } from './faults.ts';
import type { Population, SimPerson } from './population.ts';

/**
 * ANPR's PDND e-services (C001, C015, C018, C019, C020, C021, C030) as one server, each at its
 * published path with `POST /anpr-service-e002` and `GET /status`. Like the real gateway it
 * refuses a request whose voucher, ModI signature, digest or tracking evidence does not hold,
 * or whose body is not a RichiestaE002 of the e-service's OpenAPI file. It answers from the
 * population and signs its answers (Agid-JWT-Signature over their Digest).
 *
 * C001 is a pull feed of change notifications (see README: the published file gives the
 * request's `idOperazioneClient` rule, numeric and increasing, a repeated id answered with
 * the earlier answer, and nothing more): each call returns the notifications after the last
 * batch, and calling with the next id acknowledges that batch.
 */
export type AnprSimulatorOptions = {
  population: Population;
  pdnd: { jwks: JSONWebKeySet; issuer: string };
  /** The PDND clients' public keys by kid (what the erogatore gets from PDND). */
  clientKeys(kid: string): CryptoKey | KeyObject | undefined;
  /** The e-services' audience root, as consumers put it in `aud`. */
  audienceBase: string;
  faults?: FaultPlan;
  batchSize?: number;
};

export type AnprNotificationType = 'CAMBIO_RESIDENZA' | 'DECESSO' | 'NUOVO_COMPONENTE';

type Notification = {
  seq: number;
  id: string;
  type: AnprNotificationType;
  eventDate: string;
  subject: TipoDatiSoggettiEnte;
};

const ko = (code: string, text: string, field?: string): RispostaKO => ({
  idOperazioneANPR: randomUUID(),
  listaErrori: [
    {
      codiceErroreAnomalia: code,
      tipoErroreAnomalia: 'E',
      testoErroreAnomalia: text,
      ...(field ? { campoErroreAnomalia: field } : {}),
    },
  ],
});

export async function createAnprSimulator(opts: AnprSimulatorOptions) {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = `anpr-sim-${randomUUID().slice(0, 8)}`;
  const jwks: JSONWebKeySet = {
    keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }],
  };
  const faults = createFaults(opts.faults ?? null);
  const pop = opts.population;
  const batchSize = opts.batchSize ?? 20;
  const stats = { requests: 0, refused: 0, answered: 0 };

  // C001's feed and its operations ledger.
  const feed: Notification[] = [];
  const operations = new Map<string, { status: number; body: unknown }>();
  let lastOperation = 0;
  let acknowledged = 0; // feed index up to which batches were acknowledged
  let pendingUpTo = 0; // feed index the last batch went up to

  const audience = (service: AnprServiceCode) =>
    `${opts.audienceBase.replace(/\/$/, '')}/${ANPR_SERVICES[service].path}`;
  const vouchers = new Map<AnprServiceCode, (a: string | undefined) => Promise<VoucherClaims>>();
  const modi = new Map<AnprServiceCode, ReturnType<typeof createModiVerifier>>();
  for (const code of Object.keys(ANPR_SERVICES) as AnprServiceCode[]) {
    vouchers.set(
      code,
      createVoucherVerifier({
        keys: opts.pdnd.jwks,
        issuer: opts.pdnd.issuer,
        audience: audience(code),
      }),
    );
    modi.set(
      code,
      createModiVerifier({
        audience: audience(code),
        keyFor: opts.clientKeys,
        requireTrackingEvidence: true,
      }),
    );
  }

  async function signed(status: number, body: unknown, fault: string | null): Promise<Response> {
    // A malformed answer is the provider's own garbage, signed as it is: only the schema catches it.
    const text =
      fault === 'malformed'
        ? JSON.stringify({ listaSoggetti: { datiSoggetto: 'non conforme' } })
        : JSON.stringify(body);
    const contentType = status >= 400 ? 'application/problem+json' : 'application/json';
    const digest = digestHeader(fault === 'wrongDigest' ? `${text} ` : text);
    const now = Math.floor(Date.now() / 1000);
    const sig = await new SignJWT({ signed_headers: [{ digest }, { 'content-type': contentType }] })
      .setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' })
      .setIssuer('anpr-sim')
      .setJti(randomUUID())
      .setIssuedAt(now)
      .setExpirationTime(now + 60)
      .sign(privateKey);
    const headers: Record<string, string> = { 'content-type': contentType, digest };
    if (fault !== 'unsigned') headers['agid-jwt-signature'] = sig;
    return new Response(text, { status, headers });
  }

  function c001(req: RichiestaE002, fault: string | null): { status: number; body: unknown } {
    const id = req.idOperazioneClient;
    const prior = operations.get(id);
    if (prior) return prior;
    if (!/^\d+$/.test(id))
      return {
        status: 400,
        body: ko('EN121', 'idOperazioneClient deve essere numerico', 'idOperazioneClient'),
      };
    if (Number(id) <= lastOperation) {
      return {
        status: 400,
        body: ko('EN122', "idOperazioneClient inferiore all'ultimo inviato", 'idOperazioneClient'),
      };
    }
    acknowledged = pendingUpTo;
    const batch = feed.slice(acknowledged, acknowledged + batchSize);
    pendingUpTo = acknowledged + batch.length;
    if (fault === 'duplicate' && acknowledged > 0) batch.push(feed[acknowledged - 1]!);
    if (fault === 'outOfOrder' && batch.length > 1) batch.reverse();
    lastOperation = Number(id);
    const answer = {
      status: 200,
      body: {
        idOperazioneANPR: randomUUID(),
        listaSoggetti: {
          datiSoggetto: batch.map((n) => ({
            ...n.subject,
            infoSoggettoEnte: [
              { chiave: 'idNotifica', valoreTesto: n.id },
              { chiave: 'tipoNotifica', valoreTesto: n.type },
              { chiave: 'dataEvento', valoreData: n.eventDate },
              { chiave: 'progressivoNotifica', valoreTesto: String(n.seq) },
            ],
          })),
        },
        listaAnomalie: [],
      },
    };
    operations.set(id, answer);
    return answer;
  }

  function consult(
    service: AnprServiceCode,
    req: RichiestaE002,
  ): { status: number; body: unknown } {
    const c = req.criteriRicerca;
    const p = c.codiceFiscale
      ? pop.byTaxCode.get(c.codiceFiscale)
      : c.idANPR
        ? pop.byIdAnpr.get(c.idANPR)
        : undefined;
    if (!c.codiceFiscale && !c.idANPR) {
      return {
        status: 400,
        body: ko('EN100', 'criteri di ricerca insufficienti', 'criteriRicerca'),
      };
    }
    if (!p) return { status: 404, body: ko('EN404', 'soggetto non trovato', 'criteriRicerca') };
    const subjects = service === 'C021' ? pop.members(p.familyId) : [p];
    return {
      status: 200,
      body: {
        idOperazioneANPR: randomUUID(),
        listaSoggetti: { datiSoggetto: subjects.map((s) => subjectFor(service, s)) },
        listaAnomalie: [],
      },
    };
  }

  const app = new Hono();
  app.get('/:service/v1/status', (c) =>
    c.json({}, 200, { 'content-type': 'application/problem+json' }),
  );
  app.post('/:service/v1/anpr-service-e002', async (c) => {
    stats.requests++;
    const segment = decodeURIComponent(c.req.param('service'));
    const entry = Object.values(ANPR_SERVICES).find((s) => s.path === `${segment}/v1`);
    if (!entry) return c.json(ko('EN000', 'e-service sconosciuto'), 404);
    const service = entry.code;
    const fault = faults.pick(
      service === 'C001'
        ? [
            'latency',
            'timeout',
            'http5xx',
            'malformed',
            'unsigned',
            'wrongDigest',
            'duplicate',
            'outOfOrder',
            'lostResponse',
          ]
        : ['latency', 'timeout', 'http5xx', 'malformed', 'unsigned', 'wrongDigest'],
    );
    if (fault === 'latency') await sleep(faults.plan?.latencyMs ?? 200);
    if (fault === 'timeout') await sleep(faults.plan?.hangMs ?? 10_000);
    if (fault === 'http5xx')
      return signed(503, ko('EN500', 'servizio momentaneamente non disponibile'), null);

    const body = await c.req.text();
    const refuse = (status: number, code: string, text: string, field?: string) => {
      stats.refused++;
      return signed(status, ko(code, text, field), null);
    };
    let voucher: VoucherClaims;
    try {
      voucher = await vouchers.get(service)!(c.req.header('authorization'));
    } catch (e) {
      const expired = isConnectorError(e) && e.code === 'VOUCHER_EXPIRED';
      return refuse(
        401,
        'EN401',
        expired ? 'voucher scaduto' : 'voucher non valido',
        'Authorization',
      );
    }
    try {
      await modi.get(service)!({ headers: c.req.raw.headers, body, voucher });
    } catch (e) {
      const code = isConnectorError(e) ? e.code : 'SIGNATURE_INVALID';
      const text =
        code === 'DIGEST_MISMATCH'
          ? 'digest non corrispondente al payload'
          : `firma non valida: ${(e as Error).message}`;
      return refuse(400, 'EN402', text, isConnectorError(e) ? e.details.field : undefined);
    }
    let req: RichiestaE002;
    try {
      req = JSON.parse(body);
    } catch {
      return refuse(400, 'EN101', 'richiesta non in formato JSON');
    }
    const shape = openApiValidator(entry.requestSpec).validate('RichiestaE002', req);
    if (!shape.ok)
      return refuse(400, 'EN102', `richiesta non conforme: ${shape.errors.join('; ')}`);
    if (req.datiRichiesta.motivoRichiesta.trim() === '') {
      return refuse(400, 'EN103', 'motivoRichiesta obbligatorio', 'motivoRichiesta');
    }
    if (req.datiRichiesta.casoUso !== service) {
      return refuse(400, 'EN104', `casoUso diverso dal servizio ${service}`, 'casoUso');
    }
    const answer = service === 'C001' ? c001(req, fault) : consult(service, req);
    if (fault === 'lostResponse') return signed(503, ko('EN500', 'risposta persa'), null);
    stats.answered++;
    return signed(answer.status, answer.body, answer.status === 200 ? fault : null);
  });

  const notify = (type: AnprNotificationType, p: SimPerson, eventDate: string) => {
    const seq = feed.length + 1;
    feed.push({
      seq,
      id: `NOT${String(seq).padStart(10, '0')}`,
      type,
      eventDate,
      subject: {
        generalita: generalitaOf(p),
        identificativi: { idANPR: p.idAnpr },
        residenza: [residenzaOf(p)],
      },
    });
  };

  return {
    app,
    jwks,
    faults,
    stats,
    audience,
    /** The notified changes, as the registry office would record them. */
    changes: {
      moveResidence(taxCode: string, to: Partial<SimPerson['residence']>, date: string) {
        const p = pop.byTaxCode.get(taxCode)!;
        p.residence = { ...p.residence, ...to, since: date };
        notify('CAMBIO_RESIDENZA', p, date);
      },
      recordDeath(taxCode: string, date: string) {
        const p = pop.byTaxCode.get(taxCode)!;
        p.deathDate = date;
        notify('DECESSO', p, date);
      },
      addFamilyMember(p: SimPerson, date: string) {
        pop.add(p);
        notify('NUOVO_COMPONENTE', p, date);
      },
    },
    feedLength: () => feed.length,
  };
}
