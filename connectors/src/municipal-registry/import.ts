import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { ConnectorError } from '../errors.ts';
import { parseConfig } from '../shared/config.ts';
import {
  DEFAULT_COLUMNS,
  type RegistryDownloadConfigInput,
  registryDownloadSchema,
} from './config-schema.ts';
import { createRowParser, type ResidentRow, type RowError, type RowParser } from './map-row.ts';
import type { ResidentSink } from './sink.ts';

export type ImportProgress = {
  bytes: number;
  totalBytes: number | null;
  rows: number;
  invalid: number;
};

export type ImportReport = {
  rows: number;
  valid: number;
  invalid: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** The rows refused, one by one up to `maxReportedErrors`, in file order. */
  errors: RowError[];
  errorsNotListed: number;
  ms: number;
};

/**
 * Streams a registry download through the row checks into the sink, batch by batch: memory
 * stays bounded whatever the size, a bad row goes into the report and the import goes on, and
 * the sink's upsert by codice fiscale makes a re-import update rather than duplicate.
 */
export async function importRegistryDownload(
  input: Readable,
  configInput: RegistryDownloadConfigInput,
  deps: {
    sink: ResidentSink;
    onProgress?: (p: ImportProgress) => void;
    totalBytes?: number | null;
  },
): Promise<ImportReport> {
  const config = parseConfig(registryDownloadSchema, configInput, 'municipal-registry');
  const columns = { ...DEFAULT_COLUMNS, ...config.columns };
  const started = performance.now();
  input.setEncoding(config.encoding);
  const report: ImportReport = {
    rows: 0,
    valid: 0,
    invalid: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    errors: [],
    errorsNotListed: 0,
    ms: 0,
  };
  let parse: ReturnType<typeof createRowParser> | null = null;
  let batch: ResidentRow[] = [];
  let lineNo = 0;
  let bytes = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const r = await deps.sink.upsert(batch);
    report.inserted += r.inserted;
    report.updated += r.updated;
    report.unchanged += r.unchanged;
    batch = [];
  };
  const progress = () =>
    deps.onProgress?.({
      bytes,
      totalBytes: deps.totalBytes ?? null,
      rows: report.rows,
      invalid: report.invalid,
    });

  // Lines are cut from each chunk by hand: readline's async iterator costs about a third of
  // the import's time on a large download, and the loop awaits only when a batch is full.
  const onLine = (raw: string) => {
    lineNo++;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (parse === null) {
      const header = (lineNo === 1 ? line.replace(/^\uFEFF/, '') : line)
        .split(config.separator)
        .map((h) => h.trim().toUpperCase());
      parse = createRowParser(header, config, columns);
      if ('missing' in parse) {
        throw new ConnectorError('ROW_INVALID', `the header lacks ${parse.missing.join(', ')}`, {
          counterpart: 'municipal-registry',
          field: parse.missing[0],
          userMessage: `Il file non ha le colonne ${parse.missing.join(', ')}.`,
        });
      }
      return;
    }
    if (line.trim() === '') return;
    report.rows++;
    const r = (parse as RowParser)(line, lineNo);
    if ('problem' in r) {
      report.invalid++;
      if (report.errors.length < config.maxReportedErrors) report.errors.push(r);
      else report.errorsNotListed++;
      return;
    }
    report.valid++;
    batch.push(r);
  };
  let rest = '';
  let lastProgress = 0;
  for await (const chunk of input as AsyncIterable<string>) {
    bytes += Buffer.byteLength(chunk, config.encoding);
    const text = rest + chunk;
    let from = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
      onLine(text.slice(from, nl));
      from = nl + 1;
      if (batch.length >= config.batchSize) await flush();
    }
    rest = text.slice(from);
    if (report.rows - lastProgress >= 100_000) {
      lastProgress = report.rows;
      progress();
    }
  }
  if (rest !== '') onLine(rest);
  if (parse === null) {
    throw new ConnectorError('ROW_INVALID', 'the download is empty', {
      counterpart: 'municipal-registry',
    });
  }
  await flush();
  progress();
  report.ms = Math.round(performance.now() - started);
  return report;
}

/** The same, from a file (its size drives the progress bar). */
export async function importRegistryFile(
  path: string,
  config: RegistryDownloadConfigInput,
  deps: { sink: ResidentSink; onProgress?: (p: ImportProgress) => void },
): Promise<ImportReport> {
  const { size } = await stat(path);
  return importRegistryDownload(createReadStream(path, { highWaterMark: 1 << 20 }), config, {
    ...deps,
    totalBytes: size,
  });
}
