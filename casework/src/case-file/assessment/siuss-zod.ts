// zod schemas for SINBA and SINA assessments, built from the descriptors generated out of INPS's
// XSDs: attribute names, required attributes, code values and patterns are the schema's own.
import { z } from 'zod';
import type { AttributeDescriptor } from './siuss-schema.generate.ts';
import {
  SINA_ATTRIBUTES,
  SINA_CODE_LISTS,
  SINBA_ATTRIBUTES,
  SINBA_CODE_LISTS,
} from './siuss-schema.ts';

type CodeLists = Record<string, readonly { code: string; label: string }[]>;

function attributeSchema(d: AttributeDescriptor, lists: CodeLists): z.ZodType {
  if (d.codes) {
    const codes = lists[d.codes]!.map((c) => c.code);
    return z.enum(codes as [string, ...string[]], {
      error: `codice non previsto da ${d.codes} (valori: ${codes.join(', ')})`,
    });
  }
  if (d.base === 'xs:int') {
    let n = z.number({ error: 'numero intero richiesto' }).int('numero intero richiesto');
    if (d.minInclusive !== undefined) n = n.min(d.minInclusive);
    if (d.maxInclusive !== undefined) n = n.max(d.maxInclusive);
    return n;
  }
  let s = z.string({ error: 'testo richiesto' });
  // XSD patterns match the whole value.
  if (d.pattern) s = s.regex(new RegExp(`^(?:${d.pattern})$`), `formato non valido (${d.pattern})`);
  if (d.length !== undefined) s = s.length(d.length);
  if (d.minLength !== undefined) s = s.min(d.minLength);
  if (d.maxLength !== undefined) s = s.max(d.maxLength);
  return s;
}

function attributesShape(
  descriptors: readonly AttributeDescriptor[],
  lists: CodeLists,
  optional: string[] = [],
) {
  return Object.fromEntries(
    descriptors.map((d) => {
      const s = attributeSchema(d, lists);
      return [d.name, d.required && !optional.includes(d.name) ? s : s.optional()];
    }),
  ) as Record<string, z.ZodType>;
}

type Attr<A extends readonly AttributeDescriptor[]> = A[number];
type ValueOf<D> = D extends { base: 'xs:int' } ? number : string;
type AttributesOf<A extends readonly AttributeDescriptor[]> = {
  [D in Extract<Attr<A>, { required: true }> as D['name']]: ValueOf<D>;
} & { [D in Extract<Attr<A>, { required: false }> as D['name']]?: ValueOf<D> };

const prestazione = z.string().min(5, 'da 5 a 10 caratteri').max(10, 'da 5 a 10 caratteri');

/** SINBA attributes the service can derive from the person when the social worker leaves them out. */
export const SINBA_DERIVED = [
  'IDBeneficiario',
  'FasciaEtaBeneficiario',
  'AnnoNascita',
  'CodiceNazioneResidenza',
] as const;

const sinbaElements = {
  Prestazioni: z.object({ CodicePrestazione: z.array(prestazione).min(1) }).strict(),
  Famiglia: z
    .object({
      ComposizioneFamiglia: z
        .array(
          attributeSchema(
            {
              name: 'ComposizioneFamiglia',
              required: true,
              base: 'xs:string',
              codes: 'ComposizioneFamigliaType',
            },
            SINBA_CODE_LISTS,
          ),
        )
        .min(1),
    })
    .strict(),
};

/** A SINBA record (SINBA.xsd SinbaType) exactly as INPS receives it. */
export const sinbaSchema = z
  .object({ ...attributesShape(SINBA_ATTRIBUTES, SINBA_CODE_LISTS), ...sinbaElements })
  .strict();

/** What a social worker submits: the derivable attributes may be left out. */
export const sinbaInputSchema = z
  .object({
    ...attributesShape(SINBA_ATTRIBUTES, SINBA_CODE_LISTS, [...SINBA_DERIVED]),
    ...sinbaElements,
  })
  .strict();

export type SinbaData = AttributesOf<typeof SINBA_ATTRIBUTES> & {
  Prestazioni: { CodicePrestazione: string[] };
  Famiglia: { ComposizioneFamiglia: string[] };
};
export type SinbaInput = Omit<SinbaData, (typeof SINBA_DERIVED)[number]> &
  Partial<Pick<SinbaData, (typeof SINBA_DERIVED)[number]>>;

/** A SINA record (PS_PSA_SINA201812.xsd SINAType) exactly as INPS receives it. */
export const sinaSchema = z
  .object({
    ...attributesShape(SINA_ATTRIBUTES, SINA_CODE_LISTS),
    NecessitaInterventiSociali: z
      .object({ CodicePrestazione: z.array(prestazione).min(1) })
      .strict()
      .optional(),
    InvaliditaCivile: z
      .object({
        InvCiv: z
          .array(
            attributeSchema(
              { name: 'InvCiv', required: true, base: 'xs:string', codes: 'InvCivType' },
              SINA_CODE_LISTS,
            ),
          )
          .min(1),
      })
      .strict()
      .optional(),
  })
  .strict();

export type SinaData = AttributesOf<typeof SINA_ATTRIBUTES> & {
  NecessitaInterventiSociali?: { CodicePrestazione: string[] };
  InvaliditaCivile?: { InvCiv: string[] };
};

/** SINBA attributes of the JUDICIAL group (masked where the desk hides court data). */
export const SINBA_JUDICIAL = [
  'SegnalazioneAutoritaGiudiziaria',
  'DataSegnalazione',
  'ProvvedimentoGiudiziario',
  'DataProvvedimentoGiudiziario',
  'AutoritaProvvedimento',
  'PotestaTutela',
  'TipoProvvedimentoGiudiziario',
] as const;
/** SINBA attributes of the HEALTH group. */
export const SINBA_HEALTH = ['Disabilita', 'TipoDisabilita', 'InvCivCertificazioni'] as const;
/** SINA attributes and elements of the HEALTH group. */
export const SINA_HEALTH = [
  'InvaliditaCivile',
  'FonteDerivazioneInvalidita',
  'NecessitaCureSanitarie',
] as const;
/** SINBA attribute of the ECONOMIC group. */
export const SINBA_ECONOMIC = ['NumeroComponentiISEE', 'FasciaISEEBeneficiario'] as const;
/** SINA attribute of the ECONOMIC group. */
export const SINA_ECONOMIC = ['AreaReddituale'] as const;

/** SINBA FasciaEtaBeneficiarioType for an age in whole years; null from 18 on (not a minor). */
export function sinbaAgeBand(age: number): string | null {
  if (age < 0 || age >= 18) return null;
  return String(Math.floor(age / 3) + 1);
}
