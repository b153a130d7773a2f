/**
 * The smallest XML writer GeoReport v2 needs: elements only (no attributes), UTF-8, every text
 * escaped. An array under a key becomes that element with one child per item, named by `items`
 * (`services` → `service`, `attributes` → `attribute`, …).
 */

/** Characters XML 1.0 cannot carry at all (C0 controls except tab, newline, carriage return; U+FFFE/FFFF). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

export function escapeXml(text: string): string {
  return text.replace(NOT_XML, '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

function element(name: string, value: unknown, items: Record<string, string>): string {
  if (!NAME.test(name)) throw new Error(`not an XML element name: ${name}`);
  if (value === null || value === undefined || value === '') return `<${name}/>`;
  if (Array.isArray(value)) {
    const child = items[name];
    if (!child) throw new Error(`no item element name for the list <${name}>`);
    return `<${name}>${value.map((v) => element(child, v, items)).join('')}</${name}>`;
  }
  if (typeof value === 'object') {
    const inner = Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => element(k, v, items))
      .join('');
    return `<${name}>${inner}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** A whole document: the XML declaration and one root element. */
export function toXml(root: string, value: unknown, items: Record<string, string>): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${element(root, value, items)}`;
}
