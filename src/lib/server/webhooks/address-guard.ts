import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';

// Addresses a webhook must never reach from the server: its own machine, the private networks behind it, cloud
// metadata (169.254.169.254) and the like. BlockList also matches IPv4-mapped IPv6 (::ffff:10.0.0.1) against the
// IPv4 rules, so a mapped spelling cannot slip past them.
const forbidden = new BlockList();
for (const [net, prefix] of [
	['0.0.0.0', 8], // "this network", unspecified
	['10.0.0.0', 8],
	['100.64.0.0', 10], // carrier-grade NAT
	['127.0.0.0', 8],
	['169.254.0.0', 16], // link-local, cloud metadata
	['172.16.0.0', 12],
	['192.0.0.0', 24], // IETF protocol assignments
	['192.168.0.0', 16],
	['198.18.0.0', 15], // benchmarking
	['224.0.0.0', 4], // multicast
	['240.0.0.0', 4] // reserved and broadcast
] as const)
	forbidden.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
	['::', 128], // unspecified
	['::1', 128], // loopback
	['fc00::', 7], // unique local
	['fe80::', 10], // link-local
	['fec0::', 10], // site-local (deprecated, still routed by some)
	['ff00::', 8] // multicast
] as const)
	forbidden.addSubnet(net, prefix, 'ipv6');

/** Whether an IP address is loopback, private, link-local, unspecified, multicast or reserved (also IPv4-mapped). */
export function isForbiddenAddress(address: string): boolean {
	const family = isIP(address);
	if (family === 0) return true;
	return forbidden.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** Why a webhook URL was refused, in words for the person who typed it. */
export class WebhookAddressError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'WebhookAddressError';
	}
}

/** Parses a webhook URL: http or https, no user name or password; throws WebhookAddressError otherwise. */
export function parseWebhookUrl(raw: string): URL {
	let url: URL;
	try {
		url = new URL(raw.trim());
	} catch {
		throw new WebhookAddressError('Enter a full URL, such as https://example.com/hooks/flowdeck.');
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new WebhookAddressError('The URL must start with https:// or http://.');
	if (url.username || url.password) throw new WebhookAddressError('Leave the user name and password out of the URL.');
	if (!url.hostname) throw new WebhookAddressError('The URL has no host name.');
	return url;
}

/** A URL host as an IP address when it is one (IPv6 hosts come in brackets), else null. */
function literalAddress(hostname: string): string | null {
	const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
	return isIP(bare) ? bare : null;
}

function resolveAll(hostname: string): Promise<LookupAddress[]> {
	return new Promise((resolve, reject) => dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))));
}

/** Refuses every forbidden address in a host's resolution (one bad address is enough: the connection may pick it). */
function refuseForbidden(hostname: string, addresses: readonly string[], allowPrivate: boolean): void {
	if (addresses.length === 0) throw new WebhookAddressError(`The host name ${hostname} does not resolve to any address.`);
	if (allowPrivate) return;
	const bad = addresses.find(isForbiddenAddress);
	if (bad) throw new WebhookAddressError(`${hostname} points to ${bad}, a private, loopback or otherwise internal address; webhooks may only go to public addresses.`);
}

/**
 * Checks a webhook URL before it is saved or sent to: http(s), and its host resolves only to public addresses
 * (unless `allowPrivate`). Resolves with the addresses it checked; throws WebhookAddressError with a message.
 */
export async function checkWebhookUrl(raw: string, allowPrivate: boolean): Promise<{ url: URL; addresses: string[] }> {
	const url = parseWebhookUrl(raw);
	const literal = literalAddress(url.hostname);
	let addresses: string[];
	if (literal) addresses = [literal];
	else {
		try {
			addresses = (await resolveAll(url.hostname)).map((a) => a.address);
		} catch {
			throw new WebhookAddressError(`The host name ${url.hostname} could not be found.`);
		}
	}
	refuseForbidden(url.hostname, addresses, allowPrivate);
	return { url, addresses };
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http.request/net.connect that resolves the host and refuses forbidden addresses at connect time, so
 * the socket goes to exactly the address that was checked (a DNS answer that changes between the check and the
 * connect — DNS rebinding — cannot reach an internal address). Handles both the one-address and `all` forms.
 */
export function guardedLookup(allowPrivate: () => boolean) {
	return (hostname: string, options: { all?: boolean; family?: number | string }, callback: LookupCallback): void => {
		resolveAll(hostname)
			.then((found) => {
				const wanted = options.family === 4 || options.family === 6 ? found.filter((a) => a.family === options.family) : found;
				refuseForbidden(
					hostname,
					wanted.map((a) => a.address),
					allowPrivate()
				);
				if (options.all) callback(null, wanted);
				else callback(null, wanted[0]!.address, wanted[0]!.family);
			})
			.catch((err: unknown) => callback(err instanceof Error ? (err as NodeJS.ErrnoException) : new Error(String(err)), ''));
	};
}

/** Refuses a literal IP host at send time (Node connects to those without calling `lookup`). */
export function refuseForbiddenLiteral(url: URL, allowPrivate: boolean): void {
	const literal = literalAddress(url.hostname);
	if (literal) refuseForbidden(url.hostname, [literal], allowPrivate);
}
