import type { CubeDef } from '../src/model/cube.types.ts';
import { cases, offices } from './cubes/cases.ts';
import { contactPoints, intake } from './cubes/intake.ts';
import { territory } from './cubes/territory.ts';

/** Every cube of the hub. The deliveries and SIUSS cubes join here when their facts exist. */
export const CUBES: readonly CubeDef[] = [intake, cases, territory, offices, contactPoints];
