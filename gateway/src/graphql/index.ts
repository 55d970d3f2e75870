import { builder } from './builder.ts';
// Every schema file, for its side effects on the builder.
import './assessment.ts';
import './care-plan.ts';
import './case-file.ts';
import './case-file-consent.ts';
import './consent.ts';
import './data-sharing.ts';
import './intake-record.ts';
import './judicial-deadline.ts';
import './person.ts';
import './service-catalog.ts';
import './session.ts';

export const schema = builder.toSchema({ sortSchema: false });
