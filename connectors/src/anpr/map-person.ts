import { ConnectorError } from '../errors.ts';
import type { AnprServiceCode } from './services.ts';
import type { RispostaE002OK, TipoDatiSoggettiEnte } from './types.ts';

/** Where a value came from: the person form keeps this beside each field it fills. */
export type FieldSource = {
  counterpart: 'ANPR';
  service: AnprServiceCode;
  anprOperationId: string | null;
  retrievedAt: string;
};

export type Sourced<T> = { value: T; source: FieldSource };

export type AnprResidence = {
  municipalityIstat: string | null;
  municipalityName: string | null;
  province: string | null;
  postcode: string | null;
  address: string | null;
  since: string | null;
};

/** The person as ANPR gives it, each field with its source; fields ANPR left out are absent. */
export type AnprPerson = {
  taxCode?: Sourced<string>;
  idAnpr?: Sourced<string>;
  lastName?: Sourced<string>;
  firstName?: Sourced<string>;
  sex?: Sourced<'M' | 'F'>;
  birthDate?: Sourced<string>;
  birthPlaceIstat?: Sourced<string>;
  residence?: Sourced<AnprResidence>;
  deathDate?: Sourced<string>;
};

export type AnprFamilyMember = {
  taxCode: string | null;
  idAnpr: string | null;
  lastName: string | null;
  firstName: string | null;
  birthDate: string | null;
  /** ANPR's `codiceLegame` (relation to the head of the family) and its text. */
  relationCode: string | null;
  relation: string | null;
};

const subjects = (r: RispostaE002OK) => r.listaSoggetti?.datiSoggetto ?? [];

function only(r: RispostaE002OK, service: AnprServiceCode): TipoDatiSoggettiEnte {
  const s = subjects(r)[0];
  if (!s) {
    throw new ConnectorError('RESPONSE_INVALID', `ANPR ${service}: a success without a subject`, {
      counterpart: 'anpr',
      field: 'listaSoggetti.datiSoggetto',
    });
  }
  return s;
}

/** C030: the national unique id (idANPR) of the code asked. */
export function idAnprOf(r: RispostaE002OK): string {
  const id = only(r, 'C030').identificativi?.idANPR;
  if (!id) {
    throw new ConnectorError('RESPONSE_INVALID', 'ANPR C030: no idANPR', {
      counterpart: 'anpr',
      field: 'identificativi.idANPR',
    });
  }
  return id;
}

export function mapAnprPerson(
  s: TipoDatiSoggettiEnte,
  service: AnprServiceCode,
  meta: { anprOperationId: string | null; retrievedAt: string },
): AnprPerson {
  const source: FieldSource = { counterpart: 'ANPR', service, ...meta };
  const out: AnprPerson = {};
  const put = <K extends keyof AnprPerson>(
    k: K,
    v: NonNullable<AnprPerson[K]>['value'] | undefined | null,
  ) => {
    if (v !== undefined && v !== null && v !== '') out[k] = { value: v, source } as AnprPerson[K];
  };
  const g = s.generalita;
  put('taxCode', g?.codiceFiscale?.codFiscale);
  put('idAnpr', s.identificativi?.idANPR);
  put('lastName', g?.cognome);
  put('firstName', g?.nome);
  put('sex', g?.sesso === 'M' || g?.sesso === 'F' ? g.sesso : undefined);
  put('birthDate', g?.dataNascita);
  put('birthPlaceIstat', g?.luogoNascita?.comune?.codiceIstat);
  put('deathDate', s.datiDecesso?.dataEvento);
  const r = s.residenza?.[0];
  if (r) {
    const street = [
      r.indirizzo?.toponimo?.specie,
      r.indirizzo?.toponimo?.denominazioneToponimo,
      r.indirizzo?.numeroCivico?.numero,
    ]
      .filter(Boolean)
      .join(' ');
    put('residence', {
      municipalityIstat: r.indirizzo?.comune?.codiceIstat ?? null,
      municipalityName: r.indirizzo?.comune?.nomeComune ?? null,
      province: r.indirizzo?.comune?.siglaProvinciaIstat ?? null,
      postcode: r.indirizzo?.cap ?? null,
      address: street === '' ? null : street,
      since: r.dataDecorrenzaResidenza ?? null,
    });
  }
  return out;
}

/** C020, C015, C019: the one subject asked for. */
export const personOf = (r: RispostaE002OK, service: AnprServiceCode, retrievedAt: string) =>
  mapAnprPerson(only(r, service), service, {
    anprOperationId: r.idOperazioneANPR ?? null,
    retrievedAt,
  });

/** C021: the members of the family the subject belongs to. */
export function familyOf(r: RispostaE002OK): AnprFamilyMember[] {
  return subjects(r).map((s) => ({
    taxCode: s.generalita?.codiceFiscale?.codFiscale ?? null,
    idAnpr: s.identificativi?.idANPR ?? null,
    lastName: s.generalita?.cognome ?? null,
    firstName: s.generalita?.nome ?? null,
    birthDate: s.generalita?.dataNascita ?? null,
    relationCode: s.legameSoggetto?.codiceLegame ?? null,
    relation: s.legameSoggetto?.tipoLegame ?? null,
  }));
}
