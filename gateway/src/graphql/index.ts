import { builder } from './builder.ts';
// Every schema file, for its side effects on the builder. The order is the order of the types in
// schema.graphql (sortSchema is false): the case-file modules after intake-record, each after the
// modules it takes refs from.
import './assessment.ts';
import './care-plan.ts';
import './intake-record.ts';
import './case-access.ts';
import './case-sections.ts';
import './case-documents.ts';
import './dossier.ts';
import './case-file.ts';
import './take-into-care.ts';
import './case-file-consent.ts';
import './consent.ts';
import './data-sharing.ts';
import './judicial-deadline.ts';
import './person.ts';
import './service-catalog.ts';
import './session.ts';
import './cubes.ts';
import './provider.ts';
import './delivery.ts';
import './siuss.ts';
import './counterparts.ts';
import './registry-sync.ts';

export const schema = builder.toSchema({ sortSchema: false });
