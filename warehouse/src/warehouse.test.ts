import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { openWarehouse } from './warehouse.ts';

it('should create the warehouse file in a missing folder and answer a ping', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'wh-'));
  const wh = await openWarehouse(join(dir, 'nested', 'warehouse.duckdb'));
  await expect(wh.ping()).resolves.toBeUndefined();
  wh.close();
  await rm(dir, { recursive: true });
});
