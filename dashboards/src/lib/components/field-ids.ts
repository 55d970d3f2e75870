// Ids tie a label, its input, its hint and its error together (WCAG 1.3.1, 3.3.1).
let next = 0;
export const fieldId = (prefix = 'f') => `${prefix}-${++next}`;
export const describedBy = (id: string, hint: boolean, error: boolean) =>
  [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
