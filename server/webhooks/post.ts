import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { guardedLookup, refuseForbiddenLiteral } from '../../src/lib/server/webhooks/address-guard.ts';

/** What one POST to a receiver came to. */
export interface PostOutcome {
	/** The response's status; null when none came (refused address, connection error, timeout). */
	status: number | null;
	durationMs: number;
	/** The start of the response body (at most `excerptChars`). */
	excerpt: string;
	/** Why it failed without a response. */
	error: string | null;
}

/** How to POST. */
export interface PostOptions {
	timeoutMs: number;
	excerptChars: number;
	allowPrivate: () => boolean;
	/** Aborts the attempt (the server is stopping). */
	signal?: AbortSignal;
}

/**
 * POSTs `body` to `url` and resolves (never rejects) with what happened. The connection goes to an address the guard
 * approved at connect time (no DNS rebinding), redirects are not followed, and the whole exchange — connect, send,
 * response — is cut off after `timeoutMs`.
 */
export function postWebhook(url: URL, body: string, headers: Record<string, string>, options: PostOptions): Promise<PostOutcome> {
	const started = performance.now();
	const elapsed = () => Math.round(performance.now() - started);
	try {
		refuseForbiddenLiteral(url, options.allowPrivate());
	} catch (err) {
		return Promise.resolve({ status: null, excerpt: '', error: (err as Error).message, durationMs: elapsed() });
	}
	return new Promise<PostOutcome>((resolve) => {
		let settled = false;
		const finish = (outcome: Omit<PostOutcome, 'durationMs'>) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			options.signal?.removeEventListener('abort', onAbort);
			resolve({ ...outcome, durationMs: elapsed() });
		};
		const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
		const req = send(url, {
			method: 'POST',
			headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
			// A fresh connection each time: a pooled socket would skip the guarded lookup.
			agent: false,
			lookup: guardedLookup(options.allowPrivate) as never
		});
		const timer = setTimeout(() => {
			finish({ status: null, excerpt: '', error: `No response within ${Math.round(options.timeoutMs / 1000)} s (timed out).` });
			req.destroy();
		}, options.timeoutMs);
		const onAbort = () => {
			finish({ status: null, excerpt: '', error: 'Interrupted: the server stopped while sending.' });
			req.destroy();
		};
		options.signal?.addEventListener('abort', onAbort, { once: true });
		if (options.signal?.aborted) onAbort();
		req.on('error', (err) => finish({ status: null, excerpt: '', error: err.message || 'The connection failed.' }));
		req.on('response', (res: IncomingMessage) => {
			let excerpt = '';
			res.setEncoding('utf8');
			const done = () => finish({ status: res.statusCode ?? null, excerpt: excerpt.slice(0, options.excerptChars), error: null });
			res.on('data', (chunk: string) => {
				excerpt += chunk;
				// Enough for the log: the rest of a big body is not read.
				if (excerpt.length >= options.excerptChars) {
					done();
					res.destroy();
				}
			});
			res.on('end', done);
			res.on('error', done);
			res.on('close', done);
		});
		req.end(body);
	});
}
