/**
 * The operation element of a SOAP envelope as a document of its own, carrying the namespace
 * declarations it inherits from the envelope: what an XSD validator can check.
 */
export function soapBodyElement(envelope: string): string {
  const inner = /<(?:[\w-]+:)?Body[^>]*>([\s\S]*)<\/(?:[\w-]+:)?Body>/.exec(envelope)?.[1]?.trim();
  if (!inner) throw new Error('no SOAP Body');
  const open = /^<[^>]*>/.exec(inner)![0];
  const decls = new Map<string, string>();
  for (const m of envelope.matchAll(/xmlns(:[\w-]+)?="([^"]+)"/g)) decls.set(m[1] ?? '', m[2]!);
  const missing = [...decls]
    .filter(([p]) => !open.includes(`xmlns${p}=`))
    .map(([p, uri]) => ` xmlns${p}="${uri}"`)
    .join('');
  return inner.replace(/^<([\w:-]+)/, (_m, tag: string) => `<${tag}${missing}`);
}
