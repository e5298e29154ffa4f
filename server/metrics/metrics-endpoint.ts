import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHash, timingSafeEqual } from 'node:crypto';
import { Counter, type Registry } from 'prom-client';

/** Headers a proxy adds: a request carrying one came from elsewhere, whatever the socket's address. */
const FORWARDED = ['forwarded', 'x-forwarded-for', 'x-real-ip'];

/** Whether the socket's peer is this machine (127.0.0.0/8 or ::1, also as an IPv4-mapped address). */
function fromLoopback(req: IncomingMessage): boolean {
	const address = req.socket.remoteAddress ?? '';
	return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

/** Compares in constant time (hashes first, so the lengths match too). */
function sameToken(given: string, token: string): boolean {
	const digest = (s: string) => createHash('sha256').update(s).digest();
	return timingSafeEqual(digest(given), digest(token));
}

/**
 * Whether a request may read the metrics: with a token, only `Authorization: Bearer <token>`; without one, only a
 * request from loopback that no proxy forwarded (a proxy on the same host would make every visitor look local).
 */
export function metricsAllowed(req: IncomingMessage, token: string | undefined): boolean {
	if (token) {
		const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
		return match !== null && sameToken(match[1]!, token);
	}
	return fromLoopback(req) && !FORWARDED.some((h) => h in req.headers);
}

/** Builds the GET /metrics handler (Prometheus text format) over `registry`; returns false for any other request. */
export function metricsEndpoint(registry: Registry, token: string | undefined): (req: IncomingMessage, res: ServerResponse) => boolean {
	return (req, res) => {
		if ((req.url ?? '').split('?')[0] !== '/metrics' || req.method !== 'GET') return false;
		if (!metricsAllowed(req, token)) {
			const why = token ? 'Send Authorization: Bearer <METRICS_TOKEN>.' : 'Metrics are served to loopback only; set METRICS_TOKEN to scrape from elsewhere.';
			res.writeHead(token ? 401 : 403, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...(token ? { 'www-authenticate': 'Bearer' } : {}) });
			res.end(why);
			return true;
		}
		registry.metrics().then(
			(body) => {
				res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
				res.end(body);
			},
			(err: unknown) => {
				console.error('GET /metrics failed', err);
				res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
				res.end('Metrics could not be collected.');
			}
		);
		return true;
	};
}

/** Counts HTTP responses by status class on `registry`; call the returned function once per request (one listener, no closure). */
export function httpRequestCounter(registry: Registry): (res: ServerResponse) => void {
	const counter = new Counter({ name: 'flowdeck_http_responses_total', help: 'HTTP responses by status class (1xx…5xx); sockets (/sync) are not counted here.', labelNames: ['status'] as const, registers: [registry] });
	const classes = ['1xx', '2xx', '3xx', '4xx', '5xx'].map((c) => counter.labels(c));
	function finished(this: ServerResponse): void {
		classes[Math.floor(this.statusCode / 100) - 1]?.inc();
	}
	return (res) => void res.once('finish', finished);
}
