import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Db } from '../../src/lib/server/db/client.ts';
import { unsubscribe } from '../../src/lib/server/mail/unsubscribe.ts';

const PATH = /^\/unsubscribe\/([A-Za-z0-9._-]{1,200})$/;

/**
 * RFC 8058 one-click unsubscribe: a mail provider POSTs `List-Unsubscribe=One-Click` to the List-Unsubscribe URL from
 * its own servers, with no Origin (or a foreign one). SvelteKit refuses such cross-site form posts (its CSRF check,
 * which we keep for every other path), so this one path is answered before SvelteKit sees it. No CSRF risk: the token
 * is an HMAC only we can make, and all it can do is turn one kind of email off. Same-origin posts (our own confirm
 * page) go on to the SvelteKit action. Returns true when it answered.
 */
export function oneClickUnsubscribe(db: Db, log: (message: string, err?: unknown) => void): (req: IncomingMessage, res: ServerResponse) => boolean {
	return (req, res) => {
		if (req.method !== 'POST') return false;
		const match = PATH.exec((req.url ?? '').split('?')[0]!);
		if (!match) return false;
		if (sameOrigin(req)) return false;
		let size = 0;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > 4096) req.destroy();
		});
		req.on('end', () => {
			unsubscribe(db, match[1]!).then(
				(done) => {
					res.statusCode = done ? 200 : 404;
					res.setHeader('content-type', 'text/plain; charset=utf-8');
					res.end(done ? `Unsubscribed: no more emails for “${done.label}”.` : 'This unsubscribe link is not valid.');
				},
				(err: unknown) => {
					log('One-click unsubscribe failed.', err);
					res.statusCode = 500;
					res.end('Something went wrong on our side. Please try again.');
				}
			);
		});
		return true;
	};
}

/** Whether the request's Origin names this host (a post from our own page); "null" or a foreign origin does not. */
function sameOrigin(req: IncomingMessage): boolean {
	const origin = req.headers.origin;
	if (!origin || !req.headers.host) return false;
	try {
		return new URL(origin).host === req.headers.host;
	} catch {
		return false;
	}
}
