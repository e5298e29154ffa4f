import { attachmentDisposition } from './content-disposition.ts';

/** One CSV field, quoted when needed; a leading =, +, - or @ is neutralised so spreadsheets never run it as a formula. */
export function csvField(value: unknown): string {
	let text = value === null || value === undefined ? '' : value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value);
	if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
	return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A CSV document (RFC 4180, CRLF line ends) from a header and rows. */
export function toCsv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
	return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** Response headers for a CSV download, valid whatever the file name holds (emoji, CJK, line breaks). */
export function csvHeaders(filename: string): Record<string, string> {
	return { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': attachmentDisposition(filename), 'cache-control': 'private, no-store' };
}
