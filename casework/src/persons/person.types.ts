import { z } from 'zod';

export const FIELD_SOURCES = ['ANPR', 'MUNICIPAL_REGISTRY', 'HEALTH_REGISTRY', 'TYPED'] as const;
export type FieldSource = (typeof FIELD_SOURCES)[number];

export type Person = {
  id: string;
  taxCode: string | null;
  anonymous: boolean;
  alias: string | null;
  firstName: string | null;
  lastName: string | null;
  sex: 'M' | 'F' | null;
  birthDate: string | null;
  birthPlaceCode: string | null;
  citizenship: string | null;
  residenceMunicipality: string | null;
  residenceAddress: string | null;
  domicileMunicipality: string | null;
  domicileAddress: string | null;
  phone: string | null;
  email: string | null;
  /** PERMIT group: null when masked at the actor's desk (see maskedFields). */
  permitType: string | null;
  permitExpiry: string | null;
  fieldSources: Record<string, FieldSource>;
  ownerOrganizationId: string | null;
  createdAt: Date;
  updatedAt: Date;
  /** Fields removed because the actor's desk profile masks them. */
  maskedFields: string[];
};

const isoDate = z.iso.date({ error: 'data non valida (AAAA-MM-GG)' });
const optionalText = (max: number) => z.string().trim().min(1).max(max).nullish();

export const createPersonInput = z
  .object({
    taxCode: z.string().trim().toUpperCase().nullish(),
    anonymous: z.boolean().default(false),
    alias: optionalText(100),
    firstName: optionalText(100),
    lastName: optionalText(100),
    sex: z.enum(['M', 'F']).nullish(),
    birthDate: isoDate.nullish(),
    birthPlaceCode: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z][0-9]{3}$/, 'codice catastale (Belfiore) non valido')
      .nullish(),
    citizenship: optionalText(60),
    residenceMunicipality: z
      .string()
      .regex(/^[0-9]{6}$/, 'codice ISTAT di 6 cifre')
      .nullish(),
    residenceAddress: optionalText(200),
    domicileMunicipality: z
      .string()
      .regex(/^[0-9]{6}$/, 'codice ISTAT di 6 cifre')
      .nullish(),
    domicileAddress: optionalText(200),
    phone: optionalText(40),
    email: z.email({ error: 'indirizzo e-mail non valido' }).nullish(),
    permitType: optionalText(120),
    permitExpiry: isoDate.nullish(),
    fieldSources: z.record(z.string(), z.enum(FIELD_SOURCES)).default({}),
    /** The organisation that records the person: one of the actor's own. */
    organizationId: z.uuid().nullish(),
  })
  .strict();
export type CreatePersonInput = z.input<typeof createPersonInput>;
