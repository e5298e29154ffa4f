import { describe, expect, it } from 'vitest';
import { attachmentDisposition } from '../../src/lib/server/content-disposition.ts';
import { csvHeaders } from '../../src/lib/server/csv.ts';

/** The parameters of a Content-Disposition value, as RFC 6266 defines them (quoted-string and ext-value). */
function parse(value: string): { type: string; filename?: string; filenameStar?: string } {
	const [type, ...params] = value.split(/;\s*(?=[a-z*]+=)/i);
	const out: { type: string; filename?: string; filenameStar?: string } = { type: type! };
	for (const param of params) {
		const [key, raw] = [param.slice(0, param.indexOf('=')), param.slice(param.indexOf('=') + 1)];
		if (key === 'filename') out.filename = JSON.parse(raw) as string;
		if (key === 'filename*') {
			expect(raw).toMatch(/^UTF-8''[A-Za-z0-9!#$&+\-.^_`|~%]*$/);
			out.filenameStar = decodeURIComponent(raw.slice("UTF-8''".length));
		}
	}
	return out;
}

describe('attachmentDisposition: a download for any board name', () => {
	it.each([
		['Launch 🚀-events.csv', 'Launch 🚀-events.csv', 'Launch _-events.csv'],
		['营销看板-lead-cycle.csv', '营销看板-lead-cycle.csv', '_-lead-cycle.csv'],
		['Q3\nplan\r\n-events.csv', 'Q3 plan -events.csv', 'Q3 plan -events.csv'],
		['"quoted" \\ back/slash-events.csv', 'quoted back slash-events.csv', 'quoted back slash-events.csv'],
		["it's (100%) *done*.csv", "it's (100%) *done*.csv", "it's (100_) *done*.csv"],
		['Café-events.csv', 'Café-events.csv', 'Caf_-events.csv']
	])('%j: filename* decodes back, the fallback is plain ASCII', (name, saved, fallback) => {
		const value = attachmentDisposition(name);
		// A header value Node (and the Fetch API) accept: printable ASCII only.
		expect(value).toMatch(/^[\x20-\x7e]+$/);
		expect(() => new Headers({ 'content-disposition': value })).not.toThrow();
		const parsed = parse(value);
		expect(parsed).toEqual({ type: 'attachment', filename: fallback, filenameStar: saved });
	});

	it('never hands out an empty name', () => {
		expect(parse(attachmentDisposition('\n\t')).filenameStar).toBe('download');
	});

	it('is what CSV downloads send', () => {
		expect(csvHeaders('看板.csv')['content-disposition']).toBe(attachmentDisposition('看板.csv'));
	});
});
