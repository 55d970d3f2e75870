import type { CubeDef } from '../src/model/cube.types.ts';
import { carePlans } from './cubes/care-plans.ts';
import { cases, offices } from './cubes/cases.ts';
import { deliveries, projects, providers, services } from './cubes/deliveries.ts';
import { contactPoints, intake } from './cubes/intake.ts';
import { siuss, siussDuties } from './cubes/siuss.ts';
import { territory } from './cubes/territory.ts';

/** Every cube of the hub. */
export const CUBES: readonly CubeDef[] = [
  intake,
  cases,
  deliveries,
  siussDuties,
  siuss,
  carePlans,
  territory,
  offices,
  contactPoints,
  services,
  providers,
  projects,
];
