// Test and bench helpers: simulated worlds on loopback and generated registry downloads.
export { ANPR_AUDIENCE_BASE, purposeOf, startAnprWorld } from './anpr-world.ts';
export { ASSERTION_AUDIENCE, createPdndClientFixture } from './pdnd-fixture.ts';
