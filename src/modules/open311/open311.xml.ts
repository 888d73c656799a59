/**
 * The GeoReport v2 XML rendering of the same values the JSON answers carry: an object becomes an
 * element per key (in order), an array becomes its group element with one child per item under the
 * spec's name for it (`<services><service>…`, `<service_requests><request>…`, `<errors><error>…`),
 * null becomes an empty element, numbers and booleans their JSON text. UTF-8 throughout (Bengali is
 * written as characters, not entities); characters XML 1.0 cannot carry at all are dropped.
 */
export type XmlValue = string | number | boolean | null | undefined | XmlValue[] | { [key: string]: XmlValue };

/** GeoReport v2's element name for an item of each list (as FixMyStreet's server names them too). */
export const GROUP_TAGS: Readonly<Record<string, string>> = {
  services: "service",
  service_requests: "request",
  errors: "error",
  attributes: "attribute",
  values: "value",
  endpoints: "endpoint",
  formats: "format",
};

// Outside XML 1.0's Char production (controls other than tab/LF/CR, lone surrogates, U+FFFE/U+FFFF).
const NOT_XML_CHAR = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

export function escapeXml(text: string): string {
  return text.replace(NOT_XML_CHAR, "").replace(/[&<>"']/g, (ch) => ENTITIES[ch]!);
}

function element(name: string, value: XmlValue): string {
  if (value === null || value === undefined) return `<${name}/>`;
  if (Array.isArray(value)) {
    const child = GROUP_TAGS[name];
    if (!child) throw new Error(`no XML item name for list "${name}"`);
    return `<${name}>${value.map((item) => element(child, item)).join("")}</${name}>`;
  }
  if (typeof value === "object") {
    const children = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([key, v]) => element(key, v));
    return `<${name}>${children.join("")}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** A whole document: the declaration, then `root` holding `value`. */
export function toXmlDocument(root: string, value: XmlValue): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${element(root, value)}\n`;
}
