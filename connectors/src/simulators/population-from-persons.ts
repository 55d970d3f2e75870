import { computeTaxCode } from '../shared/tax-code.ts';
import { mulberry32 } from './faults.ts';
import {
  EXEMPTIONS,
  emptyPopulation,
  FEMALE,
  LAST,
  loadMunicipalities,
  MALE,
  type Municipality,
  type Population,
  type SimPerson,
} from './population.ts';

/**
 * A person as a hub's store holds it (the demo region's, read by the gateway): what ANPR, INPS,
 * the health registry and the municipal registry then answer about them. Everything the store
 * does not hold (idANPR, postcode, the health profile, an ISEE where the case files have none)
 * is drawn from the codice fiscale and the seed, so the same store gives the same answers.
 */
export type RegistrySeedPerson = {
  taxCode: string;
  lastName: string;
  firstName: string;
  sex: 'M' | 'F';
  birthDate: string;
  /** Belfiore code: a municipality, or a foreign country (Z…). */
  birthPlaceCode: string | null;
  /** ISTAT code. */
  residenceMunicipality: string | null;
  residenceAddress: string | null;
  deathDate?: string | null;
  /** Persons with the same key form one family (the store's household: address, municipality). */
  householdKey?: string | null;
  /** The ISEE the hub holds for the person (a case file's), which INPS then answers with. */
  isee?: {
    value: number;
    ise: number | null;
    dsuProtocol: string | null;
    presentedOn: string | null;
  } | null;
};

const pad = (n: number, w: number) => String(n).padStart(w, '0');
const isoDate = (y: number, m: number, d: number) => `${y}-${pad(m, 2)}-${pad(d, 2)}`;
const DSU_PROTOCOL = /^INPS-ISEE-[0-9]{4}-[0-9]{8}[A-Z]-[0-9]{2}$/;
const round2 = (n: number) => Math.round(n * 100) / 100;

/** A 32-bit hash of a string (FNV-1a): each person's draws depend on their code and the seed only. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** "Via Garibaldi 12" as ANPR's toponym: kind, name, number. */
function streetOf(address: string | null, draw: () => number) {
  const m = /^\s*(\S+)\s+(.*?)\s*,?\s*(\d+\s*[A-Za-z]?(?:\/\d+)?)?\s*$/.exec(address ?? '');
  if (!m?.[2])
    return { streetKind: 'VIA', street: 'ROMA', number: String(1 + Math.floor(draw() * 150)) };
  return {
    streetKind: m[1]!.toUpperCase(),
    street: m[2]!.toUpperCase(),
    number: (m[3] ?? String(1 + Math.floor(draw() * 150))).replace(/\s+/g, ''),
  };
}

export function populationFromPersons(
  persons: RegistrySeedPerson[],
  opts: { seed?: number; iseeShare?: number } = {},
): Population {
  const seed = opts.seed ?? 42;
  const iseeShare = opts.iseeShare ?? 0.8;
  const municipalities = loadMunicipalities();
  const byIstat = new Map(municipalities.map((m) => [m.istat, m]));
  const byCadastral = new Map(municipalities.map((m) => [m.cadastral, m]));
  const fallbackHome = byIstat.get('054039') ?? municipalities[0]!;
  const pop = emptyPopulation(municipalities);
  const doctorRnd = mulberry32(seed);
  const doctors = Array.from({ length: 40 }, (_, i) => {
    const sex = i % 2 === 0 ? 'M' : 'F';
    const pick = <T>(a: readonly T[]) => a[Math.floor(doctorRnd() * a.length)]!;
    const firstName = pick(sex === 'M' ? MALE : FEMALE);
    const lastName = pick(LAST);
    const birthDate = isoDate(1955 + (i % 30), 1 + (i % 12), 1 + (i % 28));
    return {
      taxCode: computeTaxCode({
        firstName,
        lastName,
        sex,
        birthDate,
        birthPlaceCode: pick(municipalities).cadastral,
      }),
      regionalCode: pad(100000 + i, 6),
      lastName,
      firstName,
    };
  });

  // Families: persons sharing a household key, the eldest its head.
  const families = new Map<string, RegistrySeedPerson[]>();
  for (const p of persons) {
    const key = p.householdKey ? `H:${p.householdKey}` : `P:${p.taxCode}`;
    const members = families.get(key) ?? [];
    members.push(p);
    families.set(key, members);
  }
  let auraId = 1_000_000;
  let familyNumber = 0;
  for (const members of families.values()) {
    familyNumber += 1;
    const familyId = `FAM${pad(familyNumber, 8)}`;
    members.sort(
      (a, b) => a.birthDate.localeCompare(b.birthDate) || a.taxCode.localeCompare(b.taxCode),
    );
    const head = members[0]!;
    const rnd = mulberry32(hash(`${seed}:${head.taxCode}`));
    const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
    const home = byIstat.get(head.residenceMunicipality ?? '') ?? fallbackHome;
    const residence = {
      municipality: home,
      cap: `0${int(5000, 6099)}`,
      ...streetOf(head.residenceAddress, rnd),
      since: isoDate(int(1995, 2024), int(1, 12), int(1, 28)),
    };
    for (const [i, m] of members.entries()) {
      if (pop.byTaxCode.has(m.taxCode)) continue;
      const own = mulberry32(hash(`${seed}:${m.taxCode}:own`));
      const birthPlace: Municipality = (m.birthPlaceCode
        ? byCadastral.get(m.birthPlaceCode)
        : undefined) ?? {
        // Born abroad or outside the region: ANPR answers with the place's code and no ISTAT one.
        istat: '',
        name: '',
        province: m.birthPlaceCode?.startsWith('Z') ? 'EE' : '',
        cadastral: m.birthPlaceCode ?? '',
      };
      const exemption = own() < 0.25 ? EXEMPTIONS[Math.floor(own() * EXEMPTIONS.length)]! : null;
      const person: SimPerson = {
        taxCode: m.taxCode,
        idAnpr: `${pad(hash(`${seed}:${m.taxCode}:anpr`) % 1_000_000_000, 9)}${String.fromCharCode(65 + (hash(m.taxCode) % 26))}`,
        lastName: m.lastName.toUpperCase(),
        firstName: m.firstName.toUpperCase(),
        sex: m.sex,
        birthDate: m.birthDate,
        birthPlace,
        familyId,
        relation:
          i === 0
            ? '1'
            : i === 1 &&
                members.length > 1 &&
                m.birthDate.slice(0, 4) < String(Number(head.birthDate.slice(0, 4)) + 15)
              ? '2'
              : '3',
        relationSince: residence.since,
        residence,
        ...(m.deathDate ? { deathDate: m.deathDate } : {}),
        health: {
          auraId: auraId++,
          asl: home.province === 'PG' ? '201' : '202',
          doctor: {
            ...doctors[Math.floor(own() * doctors.length)]!,
            since: isoDate(2010 + Math.floor(own() * 15), 1 + Math.floor(own() * 12), 1),
          },
          exemptions: exemption
            ? [
                {
                  ...exemption,
                  from: isoDate(2015 + Math.floor(own() * 10), 1 + Math.floor(own() * 12), 1),
                },
              ]
            : [],
        },
      };
      pop.add(person);
    }
    // The family's ISEE: the one a case file holds for a member, or drawn for most families.
    const held = members.find((m) => m.isee)?.isee;
    const year = 2026;
    if (held || rnd() < iseeShare) {
      const scale = [1, 1.57, 2.04, 2.46, 2.85][Math.min(4, members.length - 1)]!;
      const isee = held ? held.value : round2(int(2000, 40000) / scale);
      const ise = held?.ise ?? round2(isee * scale);
      const isp = int(0, 20000);
      pop.families.set(familyId, {
        familyId,
        isee: {
          // A protocol not in INPS's form (TypeProtocollo) would fail the payload's XSD.
          protocol:
            (held?.dsuProtocol && DSU_PROTOCOL.test(held.dsuProtocol) ? held.dsuProtocol : null) ??
            `INPS-ISEE-${year}-${pad(int(0, 99_999_999), 8)}${String.fromCharCode(65 + int(0, 25))}-${pad(int(0, 99), 2)}`,
          presentedOn:
            (held?.presentedOn?.startsWith(String(year)) ? held.presentedOn : null) ??
            isoDate(year, int(1, 3), int(1, 28)),
          validUntil: `${year}-12-31`,
          ise,
          scale,
          isee,
          isr: round2(Math.max(0, ise - 0.2 * isp)),
          isp,
        },
      });
    } else {
      pop.families.set(familyId, { familyId });
    }
  }
  return pop;
}

/**
 * Adds to a running population the persons a hub's store registered after it was made (the
 * simulators of `npm start` answer about the store's persons): each person not there yet comes
 * in as `populationFromPersons` would make them, in a family of their own (a store household
 * joined later is not merged into a generated one) and with an AURA id after the highest.
 * Returns how many were added.
 */
export function addPersonsToPopulation(
  pop: Population,
  persons: RegistrySeedPerson[],
  opts: { seed?: number; iseeShare?: number } = {},
): number {
  const fresh = persons.filter((p) => !pop.byTaxCode.has(p.taxCode));
  if (fresh.length === 0) return 0;
  const made = populationFromPersons(fresh, opts);
  let auraId = Math.max(999_999, ...pop.byAuraId.keys());
  let added = 0;
  for (const p of made.persons) {
    const familyId = `LATE${p.taxCode}`;
    const family = made.families.get(p.familyId);
    pop.add({ ...p, familyId, relation: '1', health: { ...p.health, auraId: ++auraId } });
    pop.families.set(familyId, { ...family, familyId });
    added++;
  }
  return added;
}
