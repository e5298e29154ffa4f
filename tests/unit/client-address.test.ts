import { describe, expect, it } from 'vitest';
import { throttleAddress } from '../../src/lib/server/auth/client-address.ts';
import { loginKeys } from '../../src/lib/server/auth/throttle.ts';

describe('throttleAddress', () => {
	it('keeps IPv4 as it is, also when written IPv4-mapped', () => {
		expect(throttleAddress('203.0.113.7')).toBe('203.0.113.7');
		expect(throttleAddress('::ffff:203.0.113.7')).toBe('203.0.113.7');
	});

	it('counts an IPv6 client by its /64, however the address is written', () => {
		const a = throttleAddress('2001:db8:abcd:12::1');
		expect(a).toBe('2001:db8:abcd:12::/64');
		expect(throttleAddress('2001:0db8:abcd:0012:ffff:ffff:ffff:ffff')).toBe(a);
		expect(throttleAddress('2001:DB8:ABCD:12:1:2:3:4')).toBe(a);
		expect(throttleAddress('2001:db8:abcd:13::1')).not.toBe(a);
		expect(throttleAddress('::1')).toBe('0:0:0:0::/64');
		expect(throttleAddress('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
	});

	it('is what the login throttle counts: rotating addresses inside one /64 is one address', () => {
		expect(loginKeys('a@example.com', '2001:db8::1')).toEqual(loginKeys('a@example.com', '2001:db8::abcd'));
	});
});
