import { describe, expect, it } from 'vitest';
import { findMentions, suggestMembers } from '../../src/lib/comments/mentions.ts';
import { checkBytes, sniff } from '../../src/lib/server/attachments/file-types.ts';

const members = [
	{ id: 'o', name: 'Olivia Owner' },
	{ id: 'e', name: 'Eddie Editor' },
	{ id: 'e2', name: 'Eddie Brown' },
	{ id: 'p', name: 'Priya' }
];

describe('mentions', () => {
	it('resolves full names in any case, a unique first name, and a name written without spaces', () => {
		expect(findMentions('@olivia owner and @Priya, also @EddieEditor.', members)).toEqual({ userIds: ['o', 'p', 'e'], unknown: [], ambiguous: [] });
		expect(findMentions('@Olivia please', members).userIds).toEqual(['o']);
	});

	it('reports names nobody has and first names several members share', () => {
		expect(findMentions('ping @Zed and @Eddie', members)).toEqual({ userIds: [], unknown: ['@Zed'], ambiguous: ['@Eddie'] });
	});

	it('ignores email addresses, code and a bare @', () => {
		expect(findMentions('mail priya@example.com, run `@Zed` or\n```\n@Nobody\n```\n@ alone', members)).toEqual({ userIds: [], unknown: [], ambiguous: [] });
	});

	it('suggests members by the start of any word of their name', () => {
		expect(suggestMembers('ed', members).map((m) => m.id)).toEqual(['e', 'e2']);
		expect(suggestMembers('own', members).map((m) => m.id)).toEqual(['o']);
	});
});

describe('file types from bytes', () => {
	const bytes = (text: string) => new TextEncoder().encode(text);
	it('tells the kinds apart by their signatures', () => {
		expect(sniff(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('png');
		expect(sniff(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe('jpeg');
		expect(sniff(bytes('RIFF\u0000\u0000\u0000\u0000WEBPVP8 '))).toBe('webp');
		expect(sniff(bytes('%PDF-1.7'))).toBe('pdf');
		expect(sniff(bytes('# Notes\n\nplain'))).toBe('text');
		expect(sniff(bytes('\uFEFF  <!doctype HTML><p>'))).toBe('html');
		expect(sniff(bytes('<svg xmlns="http://www.w3.org/2000/svg">'))).toBe('html');
		expect(sniff(new Uint8Array([0x4d, 0x5a, 0x90, 0x00]))).toBe('binary');
	});

	it('accepts a file whose bytes match its name and refuses one whose bytes do not', () => {
		expect(checkBytes('brief.PDF', bytes('%PDF-1.4'))).toBe('application/pdf');
		expect(checkBytes('plan.docx', new Uint8Array([0x50, 0x4b, 0x03, 0x04]))).toContain('wordprocessingml');
		expect(() => checkBytes('plan.docx', bytes('%PDF-1.4'))).toThrow('“plan.docx” is named as a Word document, but its contents are a PDF document.');
		expect(() => checkBytes('readme.md', bytes('<script>alert(1)</script>'))).toThrow('contains a web page');
		expect(() => checkBytes('index.html', bytes('hello'))).toThrow('web page or script');
	});
});
