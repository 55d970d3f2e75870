// Unsaved forms, kept in memory while the operator moves between screens or logs in again after
// an expiry. Not in sessionStorage: an intake record carries health and judicial notes, and
// browsers write session storage to disk for session restore. A reload loses the draft.

const drafts = new Map<string, unknown>();

export function loadDraft<T>(key: string): T | undefined {
  const d = drafts.get(key);
  return d === undefined ? undefined : (structuredClone(d) as T);
}

export function saveDraft<T>(key: string, value: T): void {
  drafts.set(key, structuredClone($state.snapshot(value)));
}

export function dropDraft(key: string): void {
  drafts.delete(key);
}

/** On logout: the next operator at this browser sees nothing of the previous one's work. */
export function forgetDrafts(): void {
  drafts.clear();
}
