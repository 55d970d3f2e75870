import * as soap from 'soap';
import { type CounterpartPolicy, createPolicy } from '../resilience/policy.ts';
import { parseConfig } from '../shared/config.ts';
import { mapSoapFailure } from '../shared/soap-errors.ts';
import { SPEC } from '../shared/spec-files.ts';
import { type AuraConfigInput, auraConfigSchema } from './config-schema.ts';
import { mapProfili, mapProfiloSanitario } from './map-aura.ts';
import type { HealthRegistry } from './types.ts';

/**
 * Piemonte's AURA over SOAP, from its published WSDLs (AnagrafeFind.FindProfiliAnagrafici,
 * AnagrafeSanitaria.GetProfiloSanitario), as the HealthRegistry of that region.
 */
export function createAuraHealthRegistry(
  input: AuraConfigInput,
  deps: {
    policy?: CounterpartPolicy;
    /** Sees each SOAP envelope sent and received (contract tests validate them). */
    onXml?: (direction: 'request' | 'response', xml: string) => void;
    onExchange?: (e: {
      operation: string;
      operatorId: string;
      reason: string;
      subject: string;
      outcome: string;
    }) => void;
  } = {},
): HealthRegistry & { policy: CounterpartPolicy } {
  const config = parseConfig(auraConfigSchema, input, 'health-registry');
  const policy =
    deps.policy ??
    createPolicy('health-registry', { timeoutMs: config.timeoutMs, retries: config.retries });
  const make = (wsdl: string, endpoint: string) =>
    soap.createClientAsync(wsdl, { endpoint }).then((c) => {
      if (config.username)
        c.setSecurity(new soap.BasicAuthSecurity(config.username, config.password ?? ''));
      if (deps.onXml) {
        c.on('request', (xml: string) => deps.onXml!('request', xml));
        c.on('response', (xml: string) => deps.onXml!('response', xml));
      }
      return c;
    });
  let find: Promise<soap.Client> | undefined;
  let profile: Promise<soap.Client> | undefined;

  async function invoke(
    which: 'find' | 'profile',
    operation: string,
    args: object,
    ctx: { operatorId: string; reason: string },
    subject: string,
  ) {
    try {
      const r = await policy.run(
        async () => {
          if (which === 'find') find ??= make(SPEC.auraFind, config.findEndpoint);
          else profile ??= make(SPEC.auraSanitaria, config.profileEndpoint);
          const c = await (which === 'find' ? find : profile)!;
          try {
            const [res] = (await (
              c as unknown as Record<string, (a: object, o: object) => Promise<unknown[]>>
            )[`${operation}Async`]!(args, {
              timeout: config.timeoutMs,
            })) as [Record<string, unknown>];
            return res?.[`${operation}Result`];
          } catch (e) {
            throw mapSoapFailure(e, 'health-registry', operation);
          }
        },
        { idempotent: true },
      );
      deps.onExchange?.({
        operation,
        operatorId: ctx.operatorId,
        reason: ctx.reason,
        subject,
        outcome: 'ok',
      });
      return r;
    } catch (e) {
      deps.onExchange?.({
        operation,
        operatorId: ctx.operatorId,
        reason: ctx.reason,
        subject,
        outcome: (e as { code?: string }).code ?? 'ERROR',
      });
      throw e;
    }
  }

  return {
    registry: 'piemonte-aura',
    policy,
    async findPersons(q, ctx) {
      const req =
        'taxCode' in q
          ? { codiceFiscale: q.taxCode }
          : { cognome: q.lastName, nome: q.firstName, dataNascita: q.birthDate };
      const subject = 'taxCode' in q ? q.taxCode : `${q.lastName} ${q.firstName} ${q.birthDate}`;
      return mapProfili(
        (await invoke(
          'find',
          'FindProfiliAnagrafici',
          { profiliRequest: req },
          ctx,
          subject,
        )) as never,
      );
    },
    async healthProfile(registryId, ctx) {
      const r = await invoke(
        'profile',
        'GetProfiloSanitario',
        { AURAid: registryId },
        ctx,
        registryId,
      );
      return mapProfiloSanitario(r as never, new Date().toISOString());
    },
  };
}
