import { XMLParser } from 'fast-xml-parser';
import { ConnectorError } from '../errors.ts';

// The base64 payloads of ConsultazioneISEE, already validated against their XSDs, as the hub
// stores them: with their source and date.

export type IseeSource = {
  counterpart: 'INPS';
  service: string;
  requestId: number;
  retrievedAt: string;
};

export type IseeIndicator = {
  taxCode: string;
  type: string;
  isee: number;
  ise: number;
  equivalenceScale: number;
  isr: number;
  isp: number;
  dsuProtocol: string;
  presentedOn: string;
  source: IseeSource;
};

export type IseeAttestation = {
  declarantTaxCode: string;
  dsuProtocol: string;
  presentedOn: string;
  validUntil: string;
  members: { taxCode: string; lastName: string; firstName: string; relation: string }[];
  ordinary: {
    isee: number;
    ise: number;
    equivalenceScale: number;
    isr: number;
    isp: number;
    issuedOn: string;
  } | null;
  source: IseeSource;
};

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: true,
  parseAttributeValue: false,
});
type Attrs = Record<string, string>;

const num = (v: string | undefined, field: string) => {
  const n = Number(v);
  if (v === undefined || Number.isNaN(n)) {
    throw new ConnectorError('RESPONSE_INVALID', `INPS: ${field} is not a number`, {
      counterpart: 'isee',
      field,
    });
  }
  return n;
};

export function mapIndicatore(xml: string, source: IseeSource): IseeIndicator {
  const i = (parser.parse(xml) as { Indicatore?: Attrs & { RicercaCF?: Attrs } }).Indicatore;
  if (!i)
    throw new ConnectorError('RESPONSE_INVALID', 'INPS: no Indicatore', { counterpart: 'isee' });
  return {
    taxCode: i.RicercaCF?.['CodiceFiscale'] ?? '',
    type: i['TipoIndicatore']!,
    isee: num(i['ISEE'], 'ISEE'),
    ise: num(i['ISE'], 'ISE'),
    equivalenceScale: num(i['ScalaEquivalenza'], 'ScalaEquivalenza'),
    isr: num(i['ISR'], 'ISR'),
    isp: num(i['ISP'], 'ISP'),
    dsuProtocol: i['ProtocolloDSU']!,
    presentedOn: i['DataPresentazione']!,
    source,
  };
}

export function mapAttestazione(xml: string, source: IseeSource): IseeAttestation {
  type Att = Attrs & {
    Ordinario?: {
      NucleoFamiliare?: { ComponenteNucleo?: Attrs | Attrs[] };
      ISEEOrdinario?: Attrs & { Valori?: Attrs };
    };
  };
  const a = (parser.parse(xml) as { EsitoAttestazione?: { Attestazione?: Att } }).EsitoAttestazione
    ?.Attestazione;
  if (!a)
    throw new ConnectorError('RESPONSE_INVALID', 'INPS: no Attestazione', { counterpart: 'isee' });
  const comps = a.Ordinario?.NucleoFamiliare?.ComponenteNucleo;
  const list = comps === undefined ? [] : Array.isArray(comps) ? comps : [comps];
  const ord = a.Ordinario?.ISEEOrdinario;
  return {
    declarantTaxCode: a['CodiceFiscaleDichiarante']!,
    dsuProtocol: a['NumeroProtocolloDSU']!,
    presentedOn: a['DataPresentazione']!,
    validUntil: a['DataValidita']!,
    members: list.map((c) => ({
      taxCode: c['CodiceFiscale']!,
      lastName: c['Cognome']!,
      firstName: c['Nome']!,
      relation: c['RapportoConDichiarante']!,
    })),
    ordinary: ord?.Valori
      ? {
          isee: num(ord.Valori['ISEE'], 'ISEE'),
          ise: num(ord.Valori['ISE'], 'ISE'),
          equivalenceScale: num(ord.Valori['ScalaEquivalenza'], 'ScalaEquivalenza'),
          isr: num(ord.Valori['ISR'], 'ISR'),
          isp: num(ord.Valori['ISP'], 'ISP'),
          issuedOn: ord['DataRilascio']!,
        }
      : null,
    source,
  };
}
