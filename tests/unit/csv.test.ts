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

	it('neutralises negative numbers too (a number cell is text like any other)', () => {
		expect(csvField(-3)).toBe("'-3");
	});

	it('leaves =, +, - and @ alone when they are not the first character', () => {
		expect(csvField('a=b+c-d@e')).toBe('a=b+c-d@e');
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
	it('joins the header and rows with commas and CRLF, ending with CRLF', () => {
		expect(toCsv(['id', 'title'], [['c1', 'a,b'], ['c2', '=cmd']])).toBe('id,title\r\nc1,"a,b"\r\nc2,\'=cmd\r\n');
	});
});
