import type { TipoDatiSoggettiEnte, TipoGeneralita, TipoResidenza } from '../anpr/types.ts';
import type { SimPerson } from './population.ts';

// How the ANPR simulator writes a person of the population in the e-services' JSON.

export const generalitaOf = (p: SimPerson): TipoGeneralita => ({
  codiceFiscale: { codFiscale: p.taxCode, validitaCF: '1' },
  cognome: p.lastName,
  nome: p.firstName,
  sesso: p.sex,
  dataNascita: p.birthDate,
  // Born abroad (or where the population has no ISTAT code): the place as a locality, with the
  // Belfiore code as the state's code (ours: ANPR's own state codes are not in the repository).
  luogoNascita:
    p.birthPlace.istat === ''
      ? { localita: { codiceStato: p.birthPlace.cadastral, descrizioneStato: p.birthPlace.name } }
      : {
          comune: {
            nomeComune: p.birthPlace.name.toUpperCase(),
            codiceIstat: p.birthPlace.istat,
            siglaProvinciaIstat: p.birthPlace.province,
          },
        },
});

export const residenzaOf = (p: SimPerson): TipoResidenza => ({
  tipoIndirizzo: '1',
  indirizzo: {
    cap: p.residence.cap,
    comune: {
      nomeComune: p.residence.municipality.name.toUpperCase(),
      codiceIstat: p.residence.municipality.istat,
      siglaProvinciaIstat: p.residence.municipality.province,
    },
    toponimo: { specie: p.residence.streetKind, denominazioneToponimo: p.residence.street },
    numeroCivico: { numero: p.residence.number },
  },
  dataDecorrenzaResidenza: p.residence.since,
});

const RELATIONS: Record<SimPerson['relation'], string> = {
  '1': 'INTESTATARIO SCHEDA',
  '2': 'MARITO/MOGLIE',
  '3': 'FIGLIO/FIGLIA',
};

export function subjectFor(service: string, p: SimPerson): TipoDatiSoggettiEnte {
  const ids = { identificativi: { idANPR: p.idAnpr } };
  const death = p.deathDate ? { datiDecesso: { dataEvento: p.deathDate } } : {};
  switch (service) {
    case 'C030':
      return ids;
    case 'C015':
      return { generalita: generalitaOf(p), ...ids };
    case 'C018':
      return {
        generalita: generalitaOf(p),
        ...ids,
        cittadinanza: [{ codiceStato: '100', descrizioneStato: 'ITALIA' }],
      };
    case 'C019':
      return { generalita: generalitaOf(p), ...ids, ...death };
    case 'C020':
      return { generalita: generalitaOf(p), ...ids, residenza: [residenzaOf(p)], ...death };
    default:
      return {
        generalita: generalitaOf(p),
        ...ids,
        ...death,
        legameSoggetto: {
          codiceLegame: p.relation,
          tipoLegame: RELATIONS[p.relation],
          dataDecorrenza: p.relationSince,
        },
      };
  }
}
