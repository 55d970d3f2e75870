// Child process of siuss.bench.ts: writes a PS_PSA_SINA flow of N deliveries (one beneficiary
// and one benefit each, every tenth with a SINA assessment) to a file and validates it with
// xmllint as it is written, then prints one JSON line with the figures. Run alone so that its
// peak RSS is the batch's own and not the bench runner's.
import { createWriteStream, readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { loadavg } from 'node:os';
// The flow builder alone, not the package root nor the siuss services: the root also loads
// PGlite (about 60 MB of RSS that the batch does not use and that would hide its own figure),
// and the services the store (a second of module loading through tsx).
import { buildFlow } from '../../../casework/src/siuss/siuss-flow.ts';
import type {
  FlowHeader,
  PrestazioneSociale,
  PsRecord,
} from '../../../casework/src/siuss/siuss-record.ts';
import { computeTaxCode } from '../../../casework/src/tax-code/tax-code.ts';

const N = Number(process.argv[2] ?? 1_000_000);
const FILE = process.argv[3]!;
const BROKEN_AT = process.argv[4] === undefined ? -1 : Number(process.argv[4]);

const header: FlowHeader = {
  Nome: 'G478.PS.20260115.0000001',
  Ente: {
    Codice: 'G478',
    Denominazione: 'Comune di Perugia',
    Indirizzo: 'G478',
    CFOperatore: 'RSSMRA80A01G478X',
  },
};
header.Ente.CFOperatore = computeTaxCode({
  firstName: 'Anna',
  lastName: 'Operatrice',
  sex: 'F',
  birthDate: '1980-04-12',
  birthPlaceCode: 'G478',
});
const FIRST = ['Mario', 'Giulia', 'Luca', 'Chiara', 'Paolo', 'Sara', 'Franco', 'Elena'];
const LAST = ['Rossi', 'Bianchi', "D'Amico", 'Ferri', 'Conti', 'Galli', 'Marini', 'Sarti'];
const CODES = Array.from({ length: 4096 }, (_, i) =>
  computeTaxCode({
    firstName: FIRST[i % 8]!,
    lastName: LAST[(i >> 3) % 8]!,
    sex: i % 2 === 0 ? 'M' : 'F',
    birthDate: `19${30 + (i % 60)}-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`,
    birthPlaceCode: 'G478',
  }),
);

function benefit(i: number): PrestazioneSociale {
  const month = String((i % 12) + 1).padStart(2, '0');
  if (i % 3 === 0) {
    return {
      key: `D${i}`,
      TipoOperazione: 'I',
      PresenzaProvaMezzi: '1',
      CaratterePrestazione: '2',
      // As INPS numbers a DSU: eight digits, a letter, two digits (ISEE_TipiComuni.xsd).
      NumeroProtocolloDSU: `INPS-ISEE-2026-${String(i % 100_000_000).padStart(8, '0')}A-00`,
      AnnoProtocolloDSU: '2026',
      DataDSU: '2026-01-10',
      CodicePrestazione: 'A1.04',
      DenominazionePrestazione: 'Contributi economici a integrazione del reddito Familiare',
      ProtocolloDomanda: `PG-${i}`,
      DataErogazionePrestazione: `2026-${month}-15`,
      ImportoPrestazione: 150 + (i % 300),
      PresaCarico: '1',
      AreaUtenza: '3',
    };
  }
  const sina = i % 10 === 1;
  return {
    key: `D${i}`,
    TipoOperazione: 'I',
    PresenzaProvaMezzi: '4',
    CaratterePrestazione: '1',
    CodicePrestazione: sina ? 'A2.08' : 'A2.07',
    DenominazionePrestazione: 'Assistenza domiciliare socio-assistenziale & A.D.I.',
    ProtocolloDomanda: `PG-${i}`,
    DataInizioPrestazione: `2026-${month}-01`,
    DataFinePrestazione: `2026-${month}-28`,
    PeriodoErogazione: 1,
    ImportoMensile: 420.5,
    ImportoQuotaEnte: 400.5,
    ImportoQuotaUtente: 20,
    OreServizioMensile: 20,
    PresaCarico: sina ? '1' : '2',
    ...(sina
      ? {
          AreaUtenza: '2' as const,
          SINA: {
            Mobilita: '2',
            AttivitaVitaQuotidiana: '2',
            DisturbiComportamentali: '1',
            AreaReddituale: '2',
            AreaSupporto: '2',
            FonteDerivazioneValutazione: '1',
            StrumentoValutazione: '1',
            InvaliditaCivile: { InvCiv: ['2'] },
          },
        }
      : {}),
  };
}

function delivery(i: number): PsRecord {
  const p = benefit(i);
  if (i === BROKEN_AT) p.PeriodoErogazione = 13;
  return {
    key: `B${i}`,
    CodiceFiscale: CODES[i % CODES.length]!,
    Anagrafica: {
      Cognome: LAST[(i >> 3) % 8]!,
      Nome: FIRST[i % 8]!,
      AnnoNascita: String(1930 + (i % 60)),
      LuogoNascita: 'G478',
      Genere: i % 2 === 0 ? '1' : '2',
      CodiceCittadinanza: '380',
    },
    Indirizzo: [{ CodiceRegione: '10', CodiceComune: '054039', CodiceNazione: '380' }],
    PrestazioniSociali: [p],
  };
}

// In pages, as a store reads them (a page of rows per round trip): one await a page.
const PAGE = 1000;
async function* deliveries(): AsyncGenerator<PsRecord[]> {
  for (let at = 0; at < N; at += PAGE) {
    const page: PsRecord[] = [];
    for (let i = at; i < Math.min(N, at + PAGE); i++) page.push(delivery(i));
    yield page;
  }
}

// Read synchronously: two small /proc files, no thread-pool round trips nor promises in the
// batch's own CPU. VmHWM is the kernel's high-water mark, exact however rarely it is read.
const procFile = (path: string) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
};
function peakOf(pid: number): number {
  const status = procFile(`/proc/${pid}/status`);
  const m = /VmHWM:\s+(\d+) kB/.exec(status);
  return m ? Number(m[1]) / 1024 : 0;
}

const started = performance.now();
// The batch's own CPU, without the loader's start (tsx compiles the modules: about 1.7 s).
const cpuAtStart = process.cpuUsage();
const out = createWriteStream(FILE);
// Peak RSS of each xmllint; they run at once, so their sum is what the batch costs.
const xmllintPeaks = new Map<number, number>();
// CPU seconds of each xmllint (utime + stime, at 100 ticks a second), at its last sample.
const xmllintCpu = new Map<number, number>();
function cpuOf(pid: number): number | null {
  const stat = procFile(`/proc/${pid}/stat`);
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields.length > 13 ? (Number(fields[11]) + Number(fields[12])) / 100 : null;
}
const samplers: NodeJS.Timeout[] = [];
const report = await buildFlow('PS_PSA_SINA', header, deliveries(), {
  // Keys are derived from the ordinal: nothing per record is kept in memory.
  parallel: Number(process.env.BENCH_SIUSS_PARALLEL ?? 2),
  resolveKey: (ordinal, b) => ({ record: `B${ordinal}`, benefit: b >= 0 ? `D${ordinal}` : null }),
  // The chunk is lent (its buffer is filled again): the promise resolves once it is written.
  outputBytes: (chunk) => new Promise<void>((r) => out.write(chunk, () => r())),
  onValidatorSpawn: (pid) => {
    // One sampler per xmllint (a large flow is validated by two).
    samplers.push(
      setInterval(() => {
        xmllintPeaks.set(pid, Math.max(xmllintPeaks.get(pid) ?? 0, peakOf(pid)));
        const cpu = cpuOf(pid);
        if (cpu !== null) xmllintCpu.set(pid, cpu);
      }, 50),
    );
  },
});
for (const s of samplers) clearInterval(s);
await new Promise<void>((r) => out.end(() => r()));
const seconds = (performance.now() - started) / 1000;
console.log(
  JSON.stringify({
    seconds,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
    xmllintPeakMB: [...xmllintPeaks.values()].reduce((a, b) => a + b, 0),
    xmllintProcesses: xmllintPeaks.size,
    nodeCpuSeconds: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
    nodeBatchCpuSeconds: (() => {
      const d = process.cpuUsage(cpuAtStart);
      return (d.user + d.system) / 1e6;
    })(),
    xmllintCpuSeconds: [...xmllintCpu.values()].reduce((a, b) => a + b, 0),
    loadAverage: loadavg()[0],
    bytes: (await stat(FILE)).size,
    report: { ...report, issues: report.issues.slice(0, 5) },
  }),
);
