import type { HttpClient } from './http-client.ts';

/** One response an API test saw, kept so the OpenAPI test can check it against the document. */
export interface SeenResponse {
	method: string;
	path: string;
	status: number;
	contentType: string;
	body: unknown;
}

/** What `ApiCaller.call` answers. */
export interface ApiAnswer {
	status: number;
	headers: Headers;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read answers freely
	body: any;
}

/** Calls /api/v1 with a bearer token, as a script would; records every answer for the OpenAPI check. */
export class ApiCaller {
	readonly seen: SeenResponse[] = [];
	constructor(readonly base: string) {}

	/** Sends `method path` (relative to /api/v1) with `token`, a JSON body and extra headers. */
	async call(token: string | null, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiAnswer> {
		const all: Record<string, string> = { accept: 'application/json', ...headers };
		if (token) all.authorization = `Bearer ${token}`;
		if (body !== undefined && !all['content-type']) all['content-type'] = 'application/json';
		const res = await fetch(`${this.base}/api/v1${path}`, { method, headers: all, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
		const text = await res.text();
		const parsed: unknown = text ? JSON.parse(text) : undefined;
		this.seen.push({ method, path: path.split('?')[0]!, status: res.status, contentType: res.headers.get('content-type') ?? '', body: parsed });
		return { status: res.status, headers: res.headers, body: parsed };
	}
}

/** Creates a personal access token through the account page (as its owner would) and returns the secret it shows once. */
export async function createTokenViaPage(http: HttpClient, fields: { name: string; scope: 'read' | 'write'; boards?: string[]; expires?: string }): Promise<string> {
	const form = new URLSearchParams({ name: fields.name, scope: fields.scope, reach: fields.boards ? 'chosen' : 'all', expires: fields.expires ?? '' });
	for (const b of fields.boards ?? []) form.append('board', b);
	const res = await fetch(`${http.base}/account/tokens?/create`, {
		method: 'POST',
		headers: { cookie: http.cookieHeader, origin: http.base, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
		body: form.toString()
	});
	const text = await res.text();
	const token = /fdk_[a-z0-9]+/.exec(text)?.[0];
	if (!token) throw new Error(`no token in the answer (${res.status}): ${text.slice(0, 300)}`);
	return token;
}
