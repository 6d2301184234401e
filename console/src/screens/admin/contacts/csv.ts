// The contacts import's file (docs/api.md "POST /v1/contacts/import"):
// the header the engine requires, and the template offered as
// "Baixar modelo". Several tags or portfolios in one cell are separated by
// ';' (the comma separates the columns).

export const IMPORT_HEADER = 'name,phone,tags,portfolios';

export const TEMPLATE_FILENAME = 'modelo-contatos.csv';

/** The template: the header and one example row, CRLF as spreadsheets write it. */
export const TEMPLATE_CSV = `${IMPORT_HEADER}\r\nMaria Souza,5531988887777,vip;lead,\r\n`;

/** The template as a file to download (a Blob URL's content). */
export function templateBlob(): Blob {
  return new Blob([TEMPLATE_CSV], { type: 'text/csv' });
}

/** "vip, b2b,, lead " → ["vip", "b2b", "lead"]: the comma-separated fields of the contact form. */
export function splitList(text: string): string[] {
  const seen = new Set<string>();
  for (const part of text.split(',')) {
    const value = part.trim();
    if (value) {
      seen.add(value);
    }
  }
  return [...seen];
}

/** The form's text of a list. */
export function joinList(values: readonly string[]): string {
  return values.join(', ');
}
