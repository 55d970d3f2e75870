import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { generatePopulation } from '../simulators/population.ts';
import {
  downloadOf,
  HEADER,
  rowOf,
  writeSyntheticDownload,
} from '../simulators/registry-download.ts';
import { type ImportProgress, importRegistryDownload, importRegistryFile } from './import.ts';
import { createDigestIndexSink, createMemoryResidentSink } from './sink.ts';

const pop = generatePopulation({ families: 300, seed: 5 });
const PERUGIA = '054039';
const residents = pop.persons.filter((p) => p.residence.municipality.istat === PERUGIA);
const config = { municipalities: [PERUGIA], batchSize: 7 };
const fromText = (s: string) => Readable.from([s]);
const dir = mkdtempSync(join(tmpdir(), 'registry-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('municipal registry download import', () => {
  it('should import every resident of the download, checked and mapped', async () => {
    expect(residents.length).toBeGreaterThan(5);
    const sink = createMemoryResidentSink();
    const r = await importRegistryDownload(fromText(downloadOf(pop, PERUGIA)), config, { sink });
    expect(r).toMatchObject({
      rows: residents.length,
      valid: residents.length,
      invalid: 0,
      inserted: residents.length,
    });
    const p = residents[0]!;
    expect(sink.rows.get(p.taxCode)).toMatchObject({
      lastName: p.lastName,
      birthDate: p.birthDate,
      residenceIstat: PERUGIA,
      familyCode: p.familyId,
      residenceSince: p.residence.since,
    });
  });

  it('should update rather than duplicate on a re-import, and say which rows changed', async () => {
    const sink = createMemoryResidentSink();
    await importRegistryDownload(fromText(downloadOf(pop, PERUGIA)), config, { sink });
    const again = await importRegistryDownload(fromText(downloadOf(pop, PERUGIA)), config, {
      sink,
    });
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: residents.length });
    const moved = { ...residents[1]!, residence: { ...residents[1]!.residence, street: 'NUOVA' } };
    const text = [HEADER, ...residents.map((p) => rowOf(p === residents[1] ? moved : p))].join(
      '\n',
    );
    const third = await importRegistryDownload(fromText(text), config, { sink });
    expect(third).toMatchObject({ inserted: 0, updated: 1, unchanged: residents.length - 1 });
    expect(sink.rows.size).toBe(residents.length);
    expect(sink.rows.get(moved.taxCode)?.address).toBe('VIA NUOVA');
  });

  it('should go on past bad rows and list each with its line, field and reason', async () => {
    const good = rowOf(residents[0]!);
    const cells = good.split(';');
    const bad = (i: number, v: string) => cells.map((c, k) => (k === i ? v : c)).join(';');
    const text = [
      HEADER,
      good,
      bad(0, 'RSSMRA80A01H501A'), // check character
      bad(10, '058091'), // a municipality not of this registry
      bad(4, '30/02/1990'),
      bad(3, 'X'),
      'too;few;fields',
      bad(15, '12'),
    ].join('\n');
    const sink = createMemoryResidentSink();
    const r = await importRegistryDownload(fromText(text), config, { sink });
    expect(r).toMatchObject({ rows: 7, valid: 1, invalid: 6 });
    expect(r.errors.map((e) => [e.line, e.field, e.problem])).toEqual([
      [3, 'taxCode', 'INVALID_TAX_CODE'],
      [4, 'residenceIstat', 'UNKNOWN_MUNICIPALITY'],
      [5, 'birthDate', 'INVALID_DATE'],
      [6, 'sex', 'INVALID_SEX'],
      [7, null, 'FIELD_COUNT'],
      [8, 'registryStatus', 'INVALID_STATUS'],
    ]);
    expect(r.errors[1]!.message).toBe(
      'riga 4, COD_ISTAT_COMUNE_RESIDENZA: comune non tra quelli dell’anagrafe',
    );
  });

  it('should read a vendor whose columns are named otherwise, and refuse a header without the required ones', async () => {
    const renamed = HEADER.replace('CODICE_FISCALE', 'CF').replace('COGNOME', 'COGNOME_ANAGRAFICO');
    const text = [renamed, rowOf(residents[0]!)].join('\n');
    const sink = createMemoryResidentSink();
    const r = await importRegistryDownload(
      fromText(text),
      { ...config, columns: { taxCode: 'CF', lastName: 'COGNOME_ANAGRAFICO' } },
      { sink },
    );
    expect(r.valid).toBe(1);
    await expect(importRegistryDownload(fromText(text), config, { sink })).rejects.toMatchObject({
      code: 'ROW_INVALID',
      details: { field: 'CODICE_FISCALE' },
    });
  });

  it('should stream a large file with progress, and recognise it unchanged the second time', async () => {
    const file = join(dir, 'roma.csv');
    await writeSyntheticDownload(file, {
      rows: 20_000,
      municipalityIstat: '058091',
      cadastral: 'H501',
      badEvery: 1000,
    });
    const sink = createDigestIndexSink(16);
    const seen: ImportProgress[] = [];
    const cfg = { municipalities: ['058091'], batchSize: 1000 };
    const first = await importRegistryFile(file, cfg, { sink, onProgress: (p) => seen.push(p) });
    expect(first).toMatchObject({ rows: 20_000, invalid: 20, inserted: 19_980, updated: 0 });
    expect(seen.at(-1)).toMatchObject({ rows: 20_000 });
    expect(seen.at(-1)!.bytes).toBe(seen.at(-1)!.totalBytes);
    const second = await importRegistryFile(file, cfg, { sink });
    expect(second).toMatchObject({ inserted: 0, updated: 0, unchanged: 19_980 });
    expect(sink.size()).toBe(19_980);
  });
});
