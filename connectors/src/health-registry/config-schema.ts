import { z } from 'zod';

/** Piemonte's AURA: the two services' endpoints (their WSDLs mask the host) and credentials. */
export const auraConfigSchema = z.object({
  findEndpoint: z.url(),
  profileEndpoint: z.url(),
  /** HTTP Basic credentials, when the region's gateway asks for them (not in the WSDL). */
  username: z.string().optional(),
  password: z.string().optional(),
  timeoutMs: z.number().int().min(100).default(8000),
  retries: z.number().int().min(0).max(5).default(2),
});

export type AuraConfig = z.output<typeof auraConfigSchema>;
export type AuraConfigInput = z.input<typeof auraConfigSchema>;
