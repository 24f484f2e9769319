/**
 * Text from the warehouse into HTML and inline SVG, which the HTML parser reads the same way.
 * Every value goes through `escapeHtml`, in text and in (always double-quoted) attributes alike:
 * `& < > " '` become references, so nothing can open a tag, close an attribute or start an
 * entity. C0 and C1 controls other than tab, newline and carriage return (parse errors in HTML, fatal
 * in XML for C0) and lone surrogates become U+FFFD.
 */
export function escapeHtml(value: string): string {
  return value
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
    .replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** An id or class fragment from fixed text: lowercase letters, digits and dashes only. */
export function safeId(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'x';
}
