import { z } from 'zod';
import type { Role } from '../access/actor.ts';

/** A demo operator account; every one logs in with the demo password (`DEMO_PASSWORD`). */
export type DemoAccount = {
  username: string;
  fullName: string;
  role: Role;
  /** Organisation of the office, e.g. "Zona sociale 2 – Perugia". */
  organization: string;
  office: string;
  /** The contact point front-desk operators work at; null for the others. */
  contactPoint: string | null;
  /** What the account is for, in Italian (README, start-up banner). */
  description: string;
};

/** A demo partner system; its client secret is the demo password. */
export type DemoClient = {
  clientId: string;
  name: string;
  organization: string;
  scopes: string[];
  description: string;
};

export type DemoProgress = (done: number, total: number) => void;

export const DEFAULT_DEMO_SEED = 1;
export const DEFAULT_DEMO_PERSONS = 3000;
export const DEFAULT_BATCH_SIZE = 5000;

export const generateDemoOptions = z.object({
  /** How many generated persons the store should hold for this seed (not counting DEMO_PERSON…). */
  persons: z.number().int().min(0).max(20_000_000).default(DEFAULT_DEMO_PERSONS),
  seed: z.number().int().min(0).max(0xffffffff).default(DEFAULT_DEMO_SEED),
  password: z.string().min(1),
  batchSize: z.number().int().min(1).max(50_000).default(DEFAULT_BATCH_SIZE),
});

export type GenerateDemoOptions = z.input<typeof generateDemoOptions> & {
  onProgress?: DemoProgress | undefined;
};

export type GenerateDemoResult = {
  seed: number;
  /** Generated persons stored before this run. */
  personsBefore: number;
  personsCreated: number;
  /** Generated persons stored now (= the requested number, unless more were already there). */
  personsTotal: number;
  operatorsCreated: number;
  clientsCreated: number;
};
