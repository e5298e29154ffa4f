import { isIPv6 } from 'node:net';

/**
 * The part of a client address a throttle counts against. An IPv4 address (also written IPv4-mapped, `::ffff:a.b.c.d`)
 * as it is; an IPv6 address by its /64 prefix, because one client normally holds a whole /64 and could otherwise
 * take a fresh address, and a fresh allowance, for every attempt.
 */
export function throttleAddress(address: string): string {
	const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
	if (mapped) return mapped[1]!;
	if (!isIPv6(address)) return address;
	const [head = '', tail = ''] = address.toLowerCase().split('%')[0]!.split('::');
	const front = head ? head.split(':') : [];
	const back = address.includes('::') ? (tail ? tail.split(':') : []) : [];
	const groups = [...front, ...Array<string>(Math.max(0, 8 - front.length - back.length)).fill('0'), ...back];
	return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}
