/** The few S3 XML documents the emulator writes. */

const NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' }[c]};`);
}

/** `<Name>value</Name>` for each defined value, in order. */
export function elements(values: readonly [string, string | number | boolean | undefined][]): string {
  return values
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `<${name}>${escapeXml(String(value))}</${name}>`)
    .join('');
}

export function document(root: string, inner: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${NAMESPACE}">${inner}</${root}>`;
}

/** An S3 error body: `<Error><Code>NoSuchKey</Code><Message>...</Message>...</Error>`. */
export function errorDocument(code: string, message: string, extra: readonly [string, string | undefined][], requestId: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${elements([['Code', code], ['Message', message], ...extra, ['RequestId', requestId]])}</Error>`;
}
