/** ISTAT code of the region the bundled reference data describes. */
export const UMBRIA_REGION_CODE = '10';

export type Region = { code: string; name: string };

export type SocialDistrict = {
  id: number;
  regionCode: string;
  number: number;
  /** e.g. "Zona sociale 2 – Perugia". */
  name: string;
  /** Name of the lead municipality (comune capofila). */
  leadMunicipality: string | null;
};

export type Municipality = {
  istatCode: string;
  name: string;
  province: string;
  cadastralCode: string;
  socialDistrictId: number | null;
  socialDistrictNumber: number | null;
  population: number | null;
};

export type ForeignCountry = {
  belfioreCode: string;
  name: string;
  iso3: string | null;
  istatCode: string | null;
};

export type TerritoryLoadResult = {
  socialDistricts: number;
  municipalities: number;
  foreignCountries: number;
};
