// A reader for the small subset of XML Schema that INPS's SIUSS schemas use: named simple types
// with enumerations or patterns, complex types with attributes and sequences of elements. It
// generated `siuss-schema.ts` and checks it in the tests, so that the assessment data we store
// has exactly the attributes and codes INPS expects.

export type XsdNode = {
  name: string;
  attrs: Record<string, string>;
  children: XsdNode[];
  text: string;
};

export type XsdRestriction = {
  base: string;
  enumeration: { value: string; label: string }[];
  pattern?: string;
  length?: number;
  minLength?: number;
  maxLength?: number;
  minInclusive?: number;
  maxInclusive?: number;
};

export type XsdAttribute = {
  name: string;
  required: boolean;
  /** The named simple type, when the attribute refers to one. */
  type?: string;
  /** The inline restriction, when the attribute declares its own. */
  restriction?: XsdRestriction;
};

export type XsdElement = {
  name: string;
  type?: string;
  minOccurs: number;
  maxOccurs: number | 'unbounded';
  restriction?: XsdRestriction;
  complexType?: XsdComplexType;
};

export type XsdComplexType = { attributes: XsdAttribute[]; elements: XsdElement[] };

export type XsdSchema = {
  simpleTypes: Map<string, XsdRestriction>;
  complexTypes: Map<string, XsdComplexType>;
};

const TAG =
  /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<(\/?)([\w:.-]+)((?:\s+[\w:.-]+\s*=\s*"[^"]*")*)\s*(\/?)>|([^<]+)/g;
const ATTR = /([\w:.-]+)\s*=\s*"([^"]*)"/g;

export function parseXml(xml: string): XsdNode {
  const root: XsdNode = { name: '#root', attrs: {}, children: [], text: '' };
  const stack = [root];
  for (const m of xml.matchAll(TAG)) {
    const [, closing, name, rawAttrs, selfClosing, text] = m;
    const top = stack[stack.length - 1]!;
    if (text !== undefined) {
      top.text += text;
      continue;
    }
    if (!name) continue; // comment or processing instruction
    if (closing) {
      stack.pop();
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of (rawAttrs ?? '').matchAll(ATTR)) attrs[a[1]!] = a[2]!;
    const node: XsdNode = { name, attrs, children: [], text: '' };
    top.children.push(node);
    if (!selfClosing) stack.push(node);
  }
  return root;
}

const child = (n: XsdNode, name: string) => n.children.find((c) => c.name === name);
const children = (n: XsdNode, name: string) => n.children.filter((c) => c.name === name);

function readRestriction(simpleType: XsdNode): XsdRestriction {
  const r = child(simpleType, 'xs:restriction');
  if (!r) throw new Error('simpleType without restriction');
  const out: XsdRestriction = { base: r.attrs['base'] ?? '', enumeration: [] };
  for (const c of r.children) {
    const value = c.attrs['value'];
    if (value === undefined) continue;
    switch (c.name) {
      case 'xs:enumeration': {
        const doc = child(child(c, 'xs:annotation') ?? c, 'xs:documentation');
        out.enumeration.push({ value, label: (doc?.text ?? '').trim() });
        break;
      }
      case 'xs:pattern':
        out.pattern = value;
        break;
      case 'xs:length':
        out.length = Number(value);
        break;
      case 'xs:minLength':
        out.minLength = Number(value);
        break;
      case 'xs:maxLength':
        out.maxLength = Number(value);
        break;
      case 'xs:minInclusive':
        out.minInclusive = Number(value);
        break;
      case 'xs:maxInclusive':
        out.maxInclusive = Number(value);
        break;
    }
  }
  return out;
}

function readComplexType(node: XsdNode): XsdComplexType {
  const attributes = children(node, 'xs:attribute').map((a): XsdAttribute => {
    const inline = child(a, 'xs:simpleType');
    return {
      name: a.attrs['name']!,
      required: a.attrs['use'] === 'required',
      ...(a.attrs['type'] ? { type: a.attrs['type'] } : {}),
      ...(inline ? { restriction: readRestriction(inline) } : {}),
    };
  });
  const sequence = child(node, 'xs:sequence');
  const elements = (sequence ? children(sequence, 'xs:element') : []).map((e): XsdElement => {
    const inlineSimple = child(e, 'xs:simpleType');
    const inlineComplex = child(e, 'xs:complexType');
    const max = e.attrs['maxOccurs'] ?? '1';
    return {
      name: e.attrs['name']!,
      minOccurs: Number(e.attrs['minOccurs'] ?? '1'),
      maxOccurs: max === 'unbounded' ? 'unbounded' : Number(max),
      ...(e.attrs['type'] ? { type: e.attrs['type'] } : {}),
      ...(inlineSimple ? { restriction: readRestriction(inlineSimple) } : {}),
      ...(inlineComplex ? { complexType: readComplexType(inlineComplex) } : {}),
    };
  });
  return { attributes, elements };
}

export function readXsd(xml: string): XsdSchema {
  const schema = child(parseXml(xml), 'xs:schema');
  if (!schema) throw new Error('not an XML Schema');
  const simpleTypes = new Map<string, XsdRestriction>();
  const complexTypes = new Map<string, XsdComplexType>();
  for (const s of children(schema, 'xs:simpleType'))
    simpleTypes.set(s.attrs['name']!, readRestriction(s));
  for (const c of children(schema, 'xs:complexType'))
    complexTypes.set(c.attrs['name']!, readComplexType(c));
  return { simpleTypes, complexTypes };
}
