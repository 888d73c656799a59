/**
 * A small, strict XML reader for the Open311 tests: it refuses anything not well-formed (unclosed
 * or mismatched tags, stray `<` or `&`, unknown entities, text outside the root, a missing UTF-8
 * declaration), and turns a GeoReport v2 document into the value its JSON twin carries — so a test
 * can assert that both formats hold the same data.
 */
export interface XmlElement {
  name: string;
  children: XmlElement[];
  text: string;
  selfClosing: boolean;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decode(text: string, at: number): string {
  if (/<|>/.test(text)) throw new Error(`stray markup character in text near ${at}`);
  return text.replace(/&([^;]*);|&/g, (whole, name: string | undefined) => {
    if (name === undefined) throw new Error(`bare & near ${at}`);
    if (name in ENTITIES) return ENTITIES[name]!;
    const num = /^#(x[0-9a-fA-F]+|\d+)$/.exec(name);
    if (num) return String.fromCodePoint(num[1]!.startsWith("x") ? parseInt(num[1]!.slice(1), 16) : Number(num[1]));
    throw new Error(`unknown entity &${name}; near ${at}`);
  });
}

export function parseXml(source: string): XmlElement {
  const declaration = /^<\?xml version="1\.0" encoding="UTF-8"\?>\s*/.exec(source);
  if (!declaration) throw new Error("missing <?xml version=\"1.0\" encoding=\"UTF-8\"?> declaration");
  let pos = declaration[0].length;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const name = /^[A-Za-z_][\w.-]*/;
  while (pos < source.length) {
    const lt = source.indexOf("<", pos);
    const text = source.slice(pos, lt === -1 ? source.length : lt);
    if (text) {
      if (stack.length === 0) {
        if (text.trim()) throw new Error(`text outside the root element near ${pos}`);
      } else stack[stack.length - 1]!.text += decode(text, pos);
    }
    if (lt === -1) break;
    const gt = source.indexOf(">", lt);
    if (gt === -1) throw new Error(`unterminated tag at ${lt}`);
    const tag = source.slice(lt + 1, gt);
    pos = gt + 1;
    if (tag.startsWith("/")) {
      const closing = tag.slice(1);
      const open = stack.pop();
      if (!open || open.name !== closing) throw new Error(`</${closing}> does not close <${open?.name ?? "nothing"}> at ${lt}`);
      continue;
    }
    const selfClosing = tag.endsWith("/");
    const tagName = (selfClosing ? tag.slice(0, -1) : tag).trim();
    if (!name.test(tagName) || name.exec(tagName)![0] !== tagName) throw new Error(`bad tag <${tag}> at ${lt} (attributes are not used by GeoReport v2)`);
    const element: XmlElement = { name: tagName, children: [], text: "", selfClosing };
    if (stack.length) stack[stack.length - 1]!.children.push(element);
    else if (root) throw new Error(`second root element <${tagName}>`);
    else root = element;
    if (!selfClosing) stack.push(element);
  }
  if (stack.length) throw new Error(`<${stack[stack.length - 1]!.name}> is never closed`);
  if (!root) throw new Error("no root element");
  return root;
}

const LISTS: Record<string, string> = {
  services: "service",
  service_requests: "request",
  errors: "error",
  attributes: "attribute",
  values: "value",
  endpoints: "endpoint",
  formats: "format",
};

export type Plain = string | null | Plain[] | { [key: string]: Plain };

/** The value an element stands for: lists by their spec names, objects, text, and null for `<x/>`. */
export function xmlValue(element: XmlElement): Plain {
  const item = LISTS[element.name];
  if (item) {
    for (const child of element.children) if (child.name !== item) throw new Error(`<${element.name}> holds <${child.name}>, not <${item}>`);
    if (element.text.trim()) throw new Error(`<${element.name}> holds text`);
    return element.children.map(xmlValue);
  }
  if (element.children.length) {
    if (element.text.trim()) throw new Error(`<${element.name}> mixes text and elements`);
    const out: Record<string, Plain> = {};
    for (const child of element.children) {
      if (child.name in out) throw new Error(`<${element.name}> repeats <${child.name}>`);
      out[child.name] = xmlValue(child);
    }
    return out;
  }
  return element.selfClosing ? null : element.text;
}

/** A JSON value as XML can carry it: numbers and booleans become their text. */
export function asXmlCarries(value: unknown): Plain {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map(asXmlCarries);
  if (typeof value === "object") return Object.fromEntries(Object.entries(value as object).filter(([, v]) => v !== undefined).map(([k, v]) => [k, asXmlCarries(v)]));
  return String(value);
}

/** Parses an XML answer: its root's name and the value it carries. */
export function readXml(source: string): { root: string; value: Plain } {
  const root = parseXml(source);
  return { root: root.name, value: xmlValue(root) };
}
