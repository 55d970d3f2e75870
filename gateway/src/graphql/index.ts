import { builder } from './builder.ts';
import './case-file.ts';
import './intake-record.ts';
import './person.ts';
import './session.ts';

export const schema = builder.toSchema({ sortSchema: false });
