/** One parsed row and the line (1-based) it starts on. */
export interface CsvRow {
  fields: string[];
  line: number;
}

/** Minimal RFC 4180 CSV reading (quoted fields, embedded commas, quotes and newlines); blank lines are skipped. */
export function parseCsvRows(text: string): CsvRow[] {
  const rows: CsvRow[] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1,
    start = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      field = '';
      if (row.length > 1 || row[0] !== '') rows.push({ fields: row, line: start });
      row = [];
      start = ++line;
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push({ fields: row, line: start });
  }
  return rows;
}

export function parseCsv(text: string): string[][] {
  return parseCsvRows(text).map((r) => r.fields);
}

/** Parse a CSV whose first row is a header into objects keyed by column name. */
export function parseCsvObjects(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  if (!header) return [];
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h.trim(), r[i] ?? ''])));
}

/**
 * A CSV table that must be rectangular: its trimmed header names and its data rows. A repeated column name, or a
 * row with more or fewer fields than the header, is an error naming the file and the line.
 */
export function parseCsvTable(text: string, file: string): { header: string[]; rows: string[][] } {
  const [head, ...rows] = parseCsvRows(text);
  if (!head) return { header: [], rows: [] };
  const header = head.fields.map((h) => h.trim());
  const at = new Map<string, number>();
  header.forEach((n, i) => {
    if (at.has(n)) {
      throw new Error(
        `${file}: line ${head.line}: column "${n}" appears more than once (columns ${at.get(n)! + 1} and ${i + 1})`,
      );
    }
    at.set(n, i);
  });
  for (const r of rows) {
    if (r.fields.length !== header.length) {
      throw new Error(`${file}: line ${r.line}: ${r.fields.length} field(s), but the header has ${header.length}`);
    }
  }
  return { header, rows: rows.map((r) => r.fields) };
}

function quote(v: unknown): string {
  const s = v === undefined || v === null ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(rows: readonly (readonly unknown[])[]): string {
  return rows.map((r) => r.map(quote).join(',')).join('\n') + (rows.length ? '\n' : '');
}
