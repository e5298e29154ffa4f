import { attachmentDisposition } from './content-disposition.ts';

/**
 * What a column holds, which decides whether a cell is neutralised against spreadsheet formulas:
 * - `text`: free text people typed (titles, names, labels, details): a leading =, +, -, @, tab or CR gets an apostrophe;
 * - `id`: an identifier, written exactly (the app's ids are base64url and may well start with "-");
 * - `date`: a time, written as ISO 8601; `number`: a number, written as it is (negative ones too).
 * A cell that is not what its column says (an "id" with characters no id has, a "number" that is not one) is
 * written as text: the exact forms only ever carry ids, dates and numbers, so nothing typed can reach them unneutralised.
 */
export type CsvKind = 'text' | 'id' | 'date' | 'number';

/** A column of a CSV export: its header and what its cells hold. */
export interface CsvColumn {
	name: string;
	kind: CsvKind;
}

// Ids here are base64url (newDocId, newStageId), base32 (newId) or recorder vocabulary (event types): none can hold
// a function call, so a spreadsheet cannot run one from them. A card id is a key a client chose, so it is checked.
const ID = /^[A-Za-z0-9_-]+$/;
const NUMBER = /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/** A value as cell text: empty for null and undefined, ISO 8601 for dates, JSON for objects. */
function cellText(value: unknown): string {
	if (value === null || value === undefined) return '';
	if (value instanceof Date) return value.toISOString();
	return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Whether a cell's text may be written exactly: it is what its column says it is. */
function isExact(text: string, kind: CsvKind): boolean {
	if (kind === 'id') return ID.test(text);
	if (kind === 'number') return NUMBER.test(text);
	if (kind === 'date') return ISO_TIME.test(text);
	return false;
}

/** One CSV field, quoted when needed; free text starting with =, +, -, @, tab or CR is neutralised (see `CsvKind`). */
export function csvField(value: unknown, kind: CsvKind = 'text'): string {
	let text = cellText(value);
	if (/^[=+\-@\t\r]/.test(text) && !isExact(text, kind)) text = `'${text}`;
	return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A CSV document (RFC 4180, CRLF line ends) from its columns and rows (one value per column, in order). */
export function toCsv(columns: readonly CsvColumn[], rows: readonly (readonly unknown[])[]): string {
	const header = columns.map((c) => csvField(c.name));
	const lines = rows.map((row) => columns.map((c, i) => csvField(row[i], c.kind)).join(','));
	return [header.join(','), ...lines].join('\r\n') + '\r\n';
}

/** Response headers for a CSV download, valid whatever the file name holds (emoji, CJK, line breaks). */
export function csvHeaders(filename: string): Record<string, string> {
	return { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': attachmentDisposition(filename), 'cache-control': 'private, no-store' };
}
