import { getContext, setContext } from 'svelte';
import type { Session } from './session.svelte.ts';

const KEY = Symbol('session');

export function setSessionContext(session: Session): Session {
  return setContext(KEY, session);
}

export function getSessionContext(): Session {
  const session = getContext<Session | undefined>(KEY);
  if (!session) throw new Error('getSessionContext outside the application');
  return session;
}
