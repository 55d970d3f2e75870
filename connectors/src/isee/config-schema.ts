import { z } from 'zod';

/** INPS ConsultazioneISEE through PDND: the endpoint, the purpose, and the office asking. */
export const iseeConfigSchema = z.object({
  /** `https://api.inps.it/pdnd/soap/ConsultazioneISEE/v1` in production (the WSDL's address). */
  endpoint: z.url(),
  purposeId: z.string().min(1),
  /** `CodiceUfficio` of the Identity header: the office of the municipality asking. */
  officeCode: z.string().min(1),
  timeoutMs: z.number().int().min(100).default(8000),
  retries: z.number().int().min(0).max(5).default(2),
});

export type IseeConfig = z.output<typeof iseeConfigSchema>;
export type IseeConfigInput = z.input<typeof iseeConfigSchema>;
