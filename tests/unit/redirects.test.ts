import { describe, expect, it } from 'vitest';
import { safeNext } from '../../src/lib/server/redirects.ts';

const ORIGIN = 'https://flowdeck.example';

describe('safeNext: where to go after signing in', () => {
	it.each([
		['/b/abc', '/b/abc'],
		['/b/abc/stats?from=2024-01-01&to=2024-02-01', '/b/abc/stats?from=2024-01-01&to=2024-02-01'],
		['/b/abc#card-1', '/b/abc#card-1'],
		['/invite/abc123', '/invite/abc123'],
		// Non-ASCII is sent percent-encoded, never raw (a raw byte over 255 in a header is a 500 in Node).
		['/b/ü?q=中', '/b/%C3%BC?q=%E4%B8%AD']
	])('keeps the same-site path %j', (next, expected) => {
		expect(safeNext(next, ORIGIN)).toBe(expected);
	});

	// What searchParams.get() hands over: `?next=/%09/evil` arrives here as "/\t/evil".
	it.each([
		'/\t/evil.example/phish',
		'/\n/evil.example/phish',
		'/\r/evil.example/phish',
		'/\r\nSet-Cookie: x=1',
		'/\u0000/evil.example',
		'/\u007f/evil.example',
		'/\u0085/evil.example',
		'\t//evil.example',
		'/%09/evil.example/phish',
		'/%0a/evil.example/phish',
		'/%0A/evil.example/phish',
		'/%0d/evil.example/phish',
		'/%0D%0ALocation: https://evil.example',
		'/%2509/evil.example',
		'/%00',
		'//evil.example',
		'///evil.example',
		'/\\evil.example',
		'/\\/evil.example',
		'\\\\evil.example',
		'/%5Cevil.example',
		'/%5cevil.example',
		'/%2F/evil.example',
		'/%2f%2fevil.example',
		'/a/..//evil.example',
		'/.//evil.example',
		'https://evil.example',
		'https:evil.example',
		'http://flowdeck.example/b/abc',
		'javascript:alert(1)',
		'evil.example',
		'',
		'/%E0%A4%A',
		'/100%'
	])('refuses %j and falls back to /', (next) => {
		expect(safeNext(next, ORIGIN)).toBe('/');
	});

	it('falls back to / without a value', () => {
		expect(safeNext(null, ORIGIN)).toBe('/');
		expect(safeNext(undefined, ORIGIN)).toBe('/');
	});
});
