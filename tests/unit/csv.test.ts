import { describe, expect, it } from 'vitest';
import { csvField, toCsv } from '../../src/lib/server/csv.ts';

describe('csvField: spreadsheet formula injection', () => {
	it.each(['=1+1', '+1', '-1', '@SUM(A1)'])('prefixes a cell starting with %j with an apostrophe', (value) => {
		expect(csvField(value)).toBe(`'${value}`);
	});

	it('neutralises a leading tab (spreadsheets drop it and run what follows)', () => {
		expect(csvField('\t=1+1')).toBe("'\t=1+1");
	});

	it('neutralises a leading carriage return, and quotes the cell because it holds one', () => {
		expect(csvField('\r=1+1')).toBe(`"'\r=1+1"`);
	});

	it('neutralises a formula and still quotes its quotes and commas', () => {
		expect(csvField('=HYPERLINK("http://x.example","a,b")')).toBe(`"'=HYPERLINK(""http://x.example"",""a,b"")"`);
	});

	it('treats a cell as free text unless told otherwise', () => {
		expect(csvField('-3')).toBe("'-3");
	});

	it('leaves =, +, - and @ alone when they are not the first character', () => {
		expect(csvField('a=b+c-d@e')).toBe('a=b+c-d@e');
	});
});

describe('csvField: ids, dates and numbers are written exactly', () => {
	it.each(['-x7Fq2aB_9', '-', '--', '_a', 'card-0001', 'owner_added'])('keeps the id %j as it is', (id) => {
		expect(csvField(id, 'id')).toBe(id);
	});

	it('keeps negative numbers and numeric text in a number column', () => {
		expect(csvField(-3, 'number')).toBe('-3');
		expect(csvField('-0.25', 'number')).toBe('-0.25');
		expect(csvField(-1.5e-7, 'number')).toBe('-1.5e-7');
	});

	it('keeps dates in a date column, negative years included', () => {
		expect(csvField(new Date(Date.UTC(2026, 0, 5, 9)), 'date')).toBe('2026-01-05T09:00:00.000Z');
		expect(csvField('2026-01-05', 'date')).toBe('2026-01-05');
	});

	it.each([
		['id', '=HYPERLINK("http://x.example")'],
		['id', '-1+cmd|x'],
		['id', '@SUM(A1)'],
		['number', '-1+2'],
		['number', '-Infinity'],
		['date', '=NOW()'],
		['date', '-2026-01-05 is soon']
	] as const)('neutralises a %s cell that is not one: %j', (kind, value) => {
		expect(csvField(value, kind).replace(/^"/, '')).toMatch(/^'/);
	});

	it('neutralises free text whatever it looks like: a title "-5" or "-abc" stays text', () => {
		expect(csvField('-5', 'text')).toBe("'-5");
		expect(csvField('-abc', 'text')).toBe("'-abc");
	});
});

describe('csvField: RFC 4180 quoting', () => {
	it('leaves a plain cell unquoted', () => {
		expect(csvField('Launch post')).toBe('Launch post');
	});

	it('quotes a cell with a comma', () => {
		expect(csvField('a,b')).toBe('"a,b"');
	});

	it('quotes a cell with quotes and doubles them', () => {
		expect(csvField('say "hi"')).toBe('"say ""hi"""');
	});

	it('quotes a cell with a line break', () => {
		expect(csvField('one\ntwo')).toBe('"one\ntwo"');
		expect(csvField('one\r\ntwo')).toBe('"one\r\ntwo"');
	});

	it('writes null and undefined as empty cells, dates as ISO and objects as quoted JSON', () => {
		expect(csvField(null)).toBe('');
		expect(csvField(undefined)).toBe('');
		expect(csvField(new Date(Date.UTC(2026, 0, 5, 9)))).toBe('2026-01-05T09:00:00.000Z');
		expect(csvField({ a: 1, b: 'x' })).toBe('"{""a"":1,""b"":""x""}"');
	});
});

describe('toCsv', () => {
	const columns = [
		{ name: 'card_id', kind: 'id' },
		{ name: 'title', kind: 'text' },
		{ name: 'finished_at', kind: 'date' },
		{ name: 'hours', kind: 'number' }
	] as const;

	it('joins the header and rows with commas and CRLF, ending with CRLF', () => {
		expect(toCsv(columns, [['c1', 'a,b', '2026-01-05T09:00:00.000Z', 2]])).toBe('card_id,title,finished_at,hours\r\nc1,"a,b",2026-01-05T09:00:00.000Z,2\r\n');
	});

	it('neutralises only the free-text column: an id starting with "-" and a negative number stay exact', () => {
		const csv = toCsv(columns, [['-Qx_9', '=cmd|" /C calc"!A0', '2026-01-05T09:00:00.000Z', '-0.50']]);
		expect(csv.split('\r\n')[1]).toBe(`-Qx_9,"'=cmd|"" /C calc""!A0",2026-01-05T09:00:00.000Z,-0.50`);
	});
});
