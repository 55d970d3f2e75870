/**
 * `compute` run once per object and kept as long as the object lives. The GraphQL plugins use it
 * per document and per schema: Yoga's parser cache hands the same DocumentNode to every request
 * with the same text, so what depends on the document alone is worked out once.
 */
export function memoPerObject<K extends object, V>(compute: (key: K) => V): (key: K) => V {
  const values = new WeakMap<K, V>();
  return (key) => {
    if (values.has(key)) return values.get(key) as V;
    const value = compute(key);
    values.set(key, value);
    return value;
  };
}
