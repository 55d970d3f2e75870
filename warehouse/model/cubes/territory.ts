import { cube } from '../../src/model/cube.types.ts';

// The conformed territory dimension (region > zona sociale > municipality, ISTAT codes), joined
// by the fact cubes for names. Not public: its members reach callers through the fact cubes.
export const territory = cube('territory', {
  sql_table: 'main.dim_territory',
  public: false,
  measures: {},
  dimensions: {
    municipality: { sql: '{CUBE}.municipality_code', type: 'string', primary_key: true },
    municipalityName: { sql: '{CUBE}.municipality_name', type: 'string' },
    district: { sql: '{CUBE}.district_code', type: 'string' },
    districtName: { sql: '{CUBE}.district_name', type: 'string' },
    region: { sql: '{CUBE}.region_code', type: 'string' },
    regionName: { sql: '{CUBE}.region_name', type: 'string' },
  },
});
