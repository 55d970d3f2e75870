import { z } from 'zod';

const jwks = z.object({ keys: z.array(z.record(z.string(), z.unknown())).min(1) });

/**
 * ANPR through PDND: the gateway's root (the e-services' paths are appended, see services.ts),
 * the PDND purpose approved for each e-service, and ANPR's keys when its answers are signed.
 */
export const anprConfigSchema = z.object({
  /** `https://modipa.anpr.interno.it/govway/rest/in/MinInternoPortaANPR-PDND` in production. */
  baseUrl: z.url(),
  purposes: z.partialRecord(
    z.enum(['C001', 'C015', 'C018', 'C019', 'C020', 'C021', 'C030']),
    z.string().min(1),
  ),
  /**
   * The root of the e-services' audiences (`aud` of what we sign), when it is not `baseUrl`
   * (a local proxy in front of ANPR, the simulator on loopback).
   */
  audienceBase: z.string().optional(),
  /** ANPR's signing keys: when given, every answer must carry a valid Agid-JWT-Signature. */
  responseKeys: jwks.optional(),
  /** LoA written in the tracking evidence when the caller does not say. */
  defaultLoA: z.string().default('substantial'),
  timeoutMs: z.number().int().min(100).default(8000),
  retries: z.number().int().min(0).max(5).default(2),
});

export type AnprConfig = z.output<typeof anprConfigSchema>;
export type AnprConfigInput = z.input<typeof anprConfigSchema>;
