import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchPostgres, dbKinds } from '../helpers/db.ts';
import { startServer, tempDataDir, type TestServer } from '../helpers/server.ts';
import { HttpClient } from '../helpers/http-client.ts';

// Each as a browser would send it in `?next=`: the percent-escapes are part of the attack.
const HOSTILE_NEXT = [
	'/%09/evil.example/phish',
	'/%0a/evil.example/phish',
	'/%0d/evil.example/phish',
	'/%0d%0aSet-Cookie:%20x=1',
	'/%00/evil.example',
	'/%2509/evil.example',
	'//evil.example',
	'/%2F/evil.example',
	'/%5Cevil.example',
	'/\\evil.example',
	'/a/..//evil.example',
	'https://evil.example/phish',
	'https:evil.example',
	'javascript:alert(1)',
	'/%E0%A4%A'
];
const SIGNUP_LIMIT = 4;
const BOARD_LIMIT = 3;
const PASSWORD = 'plum-orbit-cactus-91';

/** The attribute `value` of the hidden `next` field on a sign-in or sign-up page. */
function hiddenNext(body: string): string | undefined {
	return /name="next" value="([^"]*)"/.exec(body)?.[1];
}

/** The parameters of a Content-Disposition header (RFC 6266: a quoted filename and an RFC 8187 filename*). */
function disposition(value: string | null): { filename?: string; filenameStar?: string } {
	const filename = /filename="([^"]*)"/.exec(value ?? '')?.[1];
	const star = /filename\*=UTF-8''([^;\s]+)/.exec(value ?? '')?.[1];
	return { filename, filenameStar: star === undefined ? undefined : decodeURIComponent(star) };
}

describe.each(dbKinds())('redirects, exports, limits and headers over HTTP (%s)', (kind) => {
	let server: TestServer;
	let cleanup: () => Promise<void> | void = () => {};
	const owner = () => new HttpClient(server.url);
	let signedIn: HttpClient;
	let boardId = '';
	let signUps = 0;
	let boards = 0;

	beforeAll(async () => {
		const limits = { SIGNUP_LIMIT_PER_HOUR: String(SIGNUP_LIMIT), BOARD_LIMIT_PER_10_MIN: String(BOARD_LIMIT) };
		if (kind === 'postgres') {
			const scratch = await createScratchPostgres();
			server = await startServer({ DATABASE_URL: scratch.url, ...limits });
			cleanup = () => scratch.drop();
		} else {
			const data = tempDataDir();
			server = await startServer({ DATA_DIR: data.dir, DATABASE_URL: '', ...limits });
			cleanup = () => data.remove();
		}
		signedIn = owner();
		await signedIn.signUp('Owner', 'owner@example.com');
		signUps++;
	}, 120_000);

	afterAll(async () => {
		await server?.stop();
		await cleanup();
	});

	it.each(HOSTILE_NEXT)('next=%s never leaves the site and never fails', async (next) => {
		const query = `?next=${next}`;
		const anonymous = owner();
		for (const page of ['/login', '/signup']) {
			const res = await anonymous.get(page + query);
			expect(res.status, `${page}${query}`).toBe(200);
			expect(hiddenNext(res.body), `${page}${query}`).toBe('/');
		}
		// Signed in, GET /login goes straight on; and the sign-in form itself redirects on success.
		const get = await signedIn.get(`/login${query}`);
		expect([get.status, get.location]).toEqual([303, '/']);
		const post = await anonymous.post(`/login${query}`, { email: 'owner@example.com', password: PASSWORD, next: new URLSearchParams(query).get('next')! });
		expect([post.status, post.location]).toEqual([303, '/']);
	});

	it('keeps a same-site next through sign-in, with its query', async () => {
		const res = await signedIn.get('/login?next=%2Fb%2Fabc%3Fview%3Dstats');
		expect([res.status, res.location]).toEqual([303, '/b/abc?view=stats']);
	});

	it('exports CSV for a board named with CJK, emoji and a line break', async () => {
		const name = '营销 🚀\nQ3 "plan"';
		const created = await signedIn.post('/?/create', { name });
		boards++;
		expect(created.status).toBe(303);
		boardId = created.location!.split('/').pop()!;
		for (const [path, suffix] of [['events.csv', 'events'], ['times.csv', 'lead-cycle']] as const) {
			const res = await fetch(`${server.url}/api/boards/${boardId}/${path}`, { headers: { cookie: signedIn.cookieHeader } });
			expect(res.status, path).toBe(200);
			expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
			const parsed = disposition(res.headers.get('content-disposition'));
			expect(parsed.filenameStar, path).toBe(`营销 🚀 Q3 plan -${suffix}.csv`);
			expect(parsed.filename, path).toMatch(/^[\x20-\x7e]+$/);
			expect((await res.text()).split('\r\n')[0]).toMatch(/^(at|card_id),/);
		}
	});

	it('answers a registered email exactly as a new one, and signs in neither', async () => {
		const fresh = await owner().post('/signup', { name: 'New', email: 'new@example.com', password: PASSWORD });
		const taken = await owner().post('/signup', { name: 'Mallory', email: 'owner@example.com', password: 'another-good-pass-7' });
		signUps += 2;
		const shape = (r: { status: number; location: string | null; body: string }) => ({ status: r.status, location: r.location, body: r.body });
		expect(shape(taken)).toEqual(shape(fresh));
		expect(fresh.location).toBe('/login');
		const login = await owner().get('/login');
		expect(login.body).not.toMatch(/already exists/i);
	});

	it('answers sign-up with 429, Retry-After and a clear message past its limit', async () => {
		while (signUps < SIGNUP_LIMIT) {
			const res = await owner().post('/signup', { name: 'Fill', email: `fill${signUps}@example.com`, password: PASSWORD });
			expect(res.status).toBe(303);
			signUps++;
		}
		const started = Date.now();
		const res = await fetch(`${server.url}/signup`, {
			method: 'POST',
			body: new URLSearchParams({ name: 'One too many', email: 'late@example.com', password: PASSWORD }),
			headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url, accept: 'text/html' },
			redirect: 'manual'
		});
		expect(res.status).toBe(429);
		const retryAfter = Number(res.headers.get('retry-after'));
		expect(retryAfter).toBeGreaterThan(3500);
		expect(retryAfter).toBeLessThanOrEqual(3600);
		expect(await res.text()).toContain('Too many accounts were created from your network just now. Try again in 60 minutes.');
		// Refused means not created: the account cannot sign in.
		const login = await owner().post('/login', { email: 'late@example.com', password: PASSWORD });
		expect(login.status).toBe(400);
		expect(Date.now() - started).toBeLessThan(5_000);
	});

	it('limits board creation with 429 and a message on the form', async () => {
		while (boards < BOARD_LIMIT) {
			expect((await signedIn.post('/?/create', { name: `Board ${boards}` })).status).toBe(303);
			boards++;
		}
		const res = await signedIn.post('/?/create', { name: 'One board too many' });
		expect(res.status).toBe(429);
		expect(res.body).toContain('You have created many boards in a short time. Try again in 10 minutes.');
	});

	it('sends a strict Content-Security-Policy with a fresh nonce, and the other security headers', async () => {
		const [a, b] = [await fetch(`${server.url}/login`), await fetch(`${server.url}/login`)];
		const csp = a.headers.get('content-security-policy') ?? '';
		const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
		const script = directives.get('script-src') ?? [];
		expect(script).toContain("'self'");
		expect(script.some((v) => v.startsWith("'nonce-"))).toBe(true);
		expect(script).not.toContain("'unsafe-inline'");
		expect(script).not.toContain("'unsafe-eval'");
		expect(directives.get('style-src-elem')).not.toContain("'unsafe-inline'");
		expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
		expect(directives.get('object-src')).toEqual(["'none'"]);
		expect(directives.get('base-uri')).toEqual(["'self'"]);
		expect(directives.get('form-action')).toEqual(["'self'"]);
		expect(directives.get('connect-src')).toEqual(["'self'"]);
		// Every inline script carries this response's nonce, and the next response has another.
		const nonce = script.find((v) => v.startsWith("'nonce-"))!.slice(7, -1);
		const body = await a.text();
		const scripts = [...body.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
		expect(scripts.length).toBeGreaterThan(0);
		for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
		expect(b.headers.get('content-security-policy')).not.toContain(nonce);
		expect(a.headers.get('x-content-type-options')).toBe('nosniff');
		expect(a.headers.get('referrer-policy')).toBe('same-origin');
		expect(a.headers.get('x-frame-options')).toBe('DENY');
		await b.text();
	});

	it('sends nosniff with static files too (served before the hooks run)', async () => {
		const page = await (await fetch(`${server.url}/login`)).text();
		const asset = /href="([^"]+\.css)"/.exec(page)?.[1];
		expect(asset).toBeTruthy();
		for (const path of ['/favicon.svg', new URL(asset!, `${server.url}/login`).pathname]) {
			const res = await fetch(`${server.url}${path}`);
			expect(res.status, path).toBe(200);
			expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
			await res.arrayBuffer();
		}
	});
});
