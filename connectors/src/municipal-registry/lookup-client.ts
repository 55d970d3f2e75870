import * as soap from 'soap';
import { z } from 'zod';
import { ConnectorError } from '../errors.ts';
import { type CounterpartPolicy, createPolicy } from '../resilience/policy.ts';
import { parseConfig } from '../shared/config.ts';
import { mapSoapFailure } from '../shared/soap-errors.ts';
import { SPEC } from '../shared/spec-files.ts';

/**
 * The look-up web service of a municipality that exposes one (seed 004: Roma Capitale, Marche,
 * Umbria). No such WSDL is public: the client speaks the hub's assumed one
 * (specs/assumed/AnagrafeComunale-RicercaSoggetto.wsdl), whose WSDL file is configurable.
 */
export const municipalLookupConfigSchema = z.object({
  endpoint: z.url(),
  wsdlFile: z.string().default(SPEC.municipalLookup),
  username: z.string().optional(),
  password: z.string().optional(),
  timeoutMs: z.number().int().min(100).default(5000),
  retries: z.number().int().min(0).max(5).default(2),
});

export type MunicipalResident = {
  taxCode: string;
  lastName: string;
  firstName: string;
  sex: string;
  birthDate: string;
  birthMunicipalityIstat: string | null;
  familyCode: string | null;
  relationToHead: string | null;
  residenceIstat: string;
  address: string | null;
  postcode: string | null;
  residenceSince: string | null;
  registryStatus: number;
  deathDate: string | null;
};

type Soggetto = Record<string, unknown>;
const s = (v: unknown) => (v === undefined || v === null || v === '' ? null : String(v));
const d = (v: unknown) =>
  v instanceof Date ? v.toISOString().slice(0, 10) : typeof v === 'string' ? v.slice(0, 10) : null;

export function mapSoggetto(x: Soggetto): MunicipalResident {
  return {
    taxCode: String(x['codiceFiscale']),
    lastName: String(x['cognome']),
    firstName: String(x['nome']),
    sex: String(x['sesso']),
    birthDate: d(x['dataNascita'])!,
    birthMunicipalityIstat: s(x['codiceIstatComuneNascita']),
    familyCode: s(x['codiceFamiglia']),
    relationToHead: s(x['rapportoParentela']),
    residenceIstat: String(x['codiceIstatComuneResidenza']),
    address: [s(x['indirizzo']), s(x['civico'])].filter(Boolean).join(' ') || null,
    postcode: s(x['cap']),
    residenceSince: d(x['dataDecorrenzaResidenza']),
    registryStatus: Number(x['statoAnagrafe']),
    deathDate: d(x['dataDecesso']),
  };
}

export function createMunicipalLookupClient(
  input: z.input<typeof municipalLookupConfigSchema>,
  deps: {
    policy?: CounterpartPolicy;
    /** One audit line per exchange: who asked about whom, why, and how it ended. */
    onExchange?: (e: {
      operation: 'RicercaSoggetto';
      operatorId: string;
      reason: string;
      subject: string;
      outcome: string;
    }) => void;
  } = {},
) {
  const config = parseConfig(municipalLookupConfigSchema, input, 'municipal-registry');
  const policy =
    deps.policy ??
    createPolicy('municipal-registry', { timeoutMs: config.timeoutMs, retries: config.retries });
  let client: Promise<soap.Client> | undefined;
  const get = () =>
    (client ??= soap.createClientAsync(config.wsdlFile, { endpoint: config.endpoint }).then((c) => {
      if (config.username)
        c.setSecurity(new soap.BasicAuthSecurity(config.username, config.password ?? ''));
      return c;
    }));
  async function lookUpOnce(taxCode: string, ctx: { operatorId: string; reason: string }) {
    const out = (await policy.run(
      async () => {
        const c = await get();
        try {
          const [r] = (await (
            c as unknown as Record<string, (a: object, o: object) => Promise<unknown[]>>
          )['RicercaSoggettoAsync']!(
            { codiceFiscale: taxCode, motivoRichiesta: ctx.reason, operatore: ctx.operatorId },
            { timeout: config.timeoutMs },
          )) as [Record<string, unknown>];
          return r;
        } catch (e) {
          throw mapSoapFailure(e, 'municipal-registry', 'RicercaSoggetto');
        }
      },
      { idempotent: true },
    )) as {
      esito?: string;
      descrizioneEsito?: string;
      soggetto?: Soggetto;
      componentiFamiglia?: { componente?: Soggetto | Soggetto[] };
    };
    if (out.esito === 'NON_TROVATO') {
      throw new ConnectorError('SUBJECT_NOT_FOUND', 'municipal registry: not a resident', {
        counterpart: 'municipal-registry',
        remoteCode: out.esito,
        userMessage: 'Il soggetto non risulta nell’anagrafe comunale.',
      });
    }
    if (out.esito !== 'OK' || !out.soggetto) {
      throw new ConnectorError(
        'RESPONSE_INVALID',
        `municipal registry: esito ${out.esito ?? '?'}`,
        {
          counterpart: 'municipal-registry',
          remoteCode: out.esito,
        },
      );
    }
    const fam = out.componentiFamiglia?.componente;
    return {
      resident: mapSoggetto(out.soggetto),
      family: (fam === undefined ? [] : Array.isArray(fam) ? fam : [fam]).map(mapSoggetto),
    };
  }

  return {
    policy,
    /** The resident and the family, by codice fiscale, with the reason and the operator. */
    async lookUp(taxCode: string, ctx: { operatorId: string; reason: string }) {
      const audit = (outcome: string) =>
        deps.onExchange?.({
          operation: 'RicercaSoggetto',
          operatorId: ctx.operatorId,
          reason: ctx.reason,
          subject: taxCode,
          outcome,
        });
      try {
        const r = await lookUpOnce(taxCode, ctx);
        audit('ok');
        return r;
      } catch (e) {
        audit((e as { code?: string }).code ?? 'ERROR');
        throw e;
      }
    },
  };
}
