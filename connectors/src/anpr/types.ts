// The JSON of the ANPR e-services, as far as the hub reads it (names as in the OpenAPI files).
export type TipoComune = {
  nomeComune?: string;
  codiceIstat?: string;
  siglaProvinciaIstat?: string;
};

export type TipoGeneralita = {
  codiceFiscale?: { codFiscale?: string; validitaCF?: string };
  cognome?: string;
  nome?: string;
  sesso?: string;
  dataNascita?: string;
  luogoNascita?: {
    comune?: TipoComune;
    localita?: { codiceStato?: string; descrizioneStato?: string };
  };
};

export type TipoResidenza = {
  tipoIndirizzo?: string;
  indirizzo?: {
    cap?: string;
    comune?: TipoComune;
    toponimo?: { specie?: string; denominazioneToponimo?: string };
    numeroCivico?: { numero?: string };
  };
  dataDecorrenzaResidenza?: string;
};

export type TipoInfoSoggettoEnte = { chiave?: string; valoreTesto?: string; valoreData?: string };

export type TipoDatiSoggettiEnte = {
  generalita?: TipoGeneralita;
  identificativi?: { idANPR?: string };
  residenza?: TipoResidenza[];
  datiDecesso?: { dataEvento?: string };
  legameSoggetto?: { codiceLegame?: string; tipoLegame?: string; dataDecorrenza?: string };
  cittadinanza?: { codiceStato?: string; descrizioneStato?: string }[];
  infoSoggettoEnte?: TipoInfoSoggettoEnte[];
};

export type RichiestaE002 = {
  idOperazioneClient: string;
  criteriRicerca: { codiceFiscale?: string; idANPR?: string };
  datiRichiesta: { dataRiferimentoRichiesta: string; motivoRichiesta: string; casoUso: string };
};

export type RispostaE002OK = {
  idOperazioneANPR?: string;
  listaSoggetti?: { datiSoggetto?: TipoDatiSoggettiEnte[] };
  listaAnomalie?: TipoErroriAnomalia[];
};

export type TipoErroriAnomalia = {
  codiceErroreAnomalia?: string;
  tipoErroreAnomalia?: string;
  testoErroreAnomalia?: string;
  campoErroreAnomalia?: string;
};

export type RispostaKO = { idOperazioneANPR?: string; listaErrori?: TipoErroriAnomalia[] };
