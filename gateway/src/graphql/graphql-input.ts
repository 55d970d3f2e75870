// GraphQL gives null for an optional input left out; the casework inputs take undefined for
// "not given" (and apply their defaults). Applied to input objects, never to free JSON.

type WithoutNulls<T> = T extends null
  ? undefined
  : T extends readonly (infer U)[]
    ? WithoutNulls<U>[]
    : T extends Date
      ? T
      : T extends object
        ? { [K in keyof T]: WithoutNulls<T[K]> }
        : T;

export function withoutNulls<T>(value: T, keep: readonly string[] = []): WithoutNulls<T> {
  if (value === null) return undefined as WithoutNulls<T>;
  if (Array.isArray(value)) return value.map((v) => withoutNulls(v, keep)) as WithoutNulls<T>;
  if (typeof value === 'object' && !(value instanceof Date) && !(value instanceof Uint8Array)) {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== null)
        .map(([k, v]) => [k, keep.includes(k) ? v : withoutNulls(v, keep)]),
    ) as WithoutNulls<T>;
  }
  return value as WithoutNulls<T>;
}

/** IDs arrive as string | number; the services take strings. */
export const str = (v: string | number | null | undefined) => (v == null ? undefined : String(v));
