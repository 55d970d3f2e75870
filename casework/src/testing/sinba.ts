/**
 * What a social worker records in a SInBA assessment of a minor (SINBA.xsd SinbaType without the
 * fields the hub derives from the person: IDBeneficiario, AnnoNascita, FasciaEtaBeneficiario,
 * CodiceNazioneResidenza). Shared by the casework suites and the gateway's sweep world.
 */
export const SINBA_ASSESSMENT_DATA = {
  MinoreStranieroNoAcc: '2',
  CondizioneMinore: '1',
  LuogoVita: '1',
  ScuolaFrequentata: '5',
  CondizioneLavoro: '1',
  Disabilita: '2',
  DataPrimaSegnalazione: '03/2025',
  FonteSegnalazione: '13',
  ValutazioneMinore: '2',
  ValutazioneFamigliaMinore: '2',
  SegnalazioneAutoritaGiudiziaria: '2',
  ProvvedimentoGiudiziario: '2',
  Prestazioni: { CodicePrestazione: ['A2.01'] },
  Famiglia: { ComposizioneFamiglia: ['1', '3'] },
};
