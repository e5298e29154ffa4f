import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyLimits, DEFAULT_BODY_LIMIT } from '../../server/body-limit.ts';
import { TRELLO_MAX_BYTES } from '../../src/lib/server/import/trello/limits.ts';

describe('request body limits', () => {
	const env: NodeJS.ProcessEnv = {};
	let server: Server;
	let url = '';
	beforeAll(async () => {
		const guard = bodyLimits(env, 5_000_000);
		server = createServer((req, res) => {
			if (guard(req, res)) return;
			req.resume();
			req.on('end', () => res.end('passed'));
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});
	afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

	const post = (path: string, bytes: number) => fetch(url + path, { method: 'POST', body: new Uint8Array(bytes) });

	it('raises adapter-node’s limit to the larger of the upload and import limits, unless the operator set one', () => {
		expect(env.BODY_SIZE_LIMIT).toBe(String(TRELLO_MAX_BYTES + 64 * 1024));
		const big: NodeJS.ProcessEnv = {};
		bodyLimits(big, 2 * TRELLO_MAX_BYTES);
		expect(big.BODY_SIZE_LIMIT).toBe(String(2 * TRELLO_MAX_BYTES + 64 * 1024));
		const set: NodeJS.ProcessEnv = { BODY_SIZE_LIMIT: '1M' };
		bodyLimits(set, 5_000_000);
		expect(set.BODY_SIZE_LIMIT).toBe('1M');
	});

	it('lets large bodies through to the upload and Trello import routes only', async () => {
		expect(await (await post('/api/boards/b1/cards/c1/attachments?name=a.pdf', DEFAULT_BODY_LIMIT + 1)).text()).toBe('passed');
		expect(await (await post('/import/trello/dry-run', DEFAULT_BODY_LIMIT + 1)).text()).toBe('passed');
		expect(await (await post('/import/trello/run', DEFAULT_BODY_LIMIT + 1)).text()).toBe('passed');
		expect((await post('/import/trello/elsewhere', DEFAULT_BODY_LIMIT + 1)).status).toBe(413);
		const refused = await post('/api/boards/b1/cards/c1/comments', DEFAULT_BODY_LIMIT + 1);
		expect(refused.status).toBe(413);
		expect(await refused.json()).toEqual({ message: 'The request is too large (over 512 KB).' });
		expect((await post('/api/boards/b1/cards/c1/comments', DEFAULT_BODY_LIMIT)).status).toBe(200);
		expect(await (await post('/api/import/flowdeck', DEFAULT_BODY_LIMIT + 1)).text()).toBe('passed');
		expect(await (await post('/api/boards/b1/cards.csv', DEFAULT_BODY_LIMIT + 1)).text()).toBe('passed');
	});

	it('refuses a body without a length (chunked) except where the route counts the bytes itself', async () => {
		const chunked = (path: string) => {
			const body = new ReadableStream<Uint8Array>({ start: (c) => (c.enqueue(new Uint8Array(10)), c.close()) });
			return fetch(url + path, { method: 'POST', body, duplex: 'half' } as RequestInit);
		};
		const refused = await chunked('/api/boards/b1/cards/c1/comments');
		expect(refused.status).toBe(411);
		expect(await refused.json()).toEqual({ message: 'Send the request with a Content-Length header.' });
		expect(await (await chunked('/import/trello/run')).text()).toBe('passed');
	});
});
