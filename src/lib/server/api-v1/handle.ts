import type { RequestEvent } from '@sveltejs/kit';
import { z } from 'zod';
import { authenticateApiToken, grantReaches } from '../auth/api-tokens.ts';
import { can } from '../auth/permissions.ts';
import { requireRateSlots, type RateLimit } from '../auth/rate-limit.ts';
import { BOARD_NOT_FOUND, findBoardAccess, type BoardAccess } from '../boards/boards.ts';
import { ApiProblem, fieldProblems, problemResponse, toProblem } from './problem.ts';
import { claimIdempotencyKey } from './idempotency.ts';
import type { Endpoint, EndpointResult } from './endpoint.ts';

/** How the API is run: the per-token rate limit. */
export interface ApiSettings {
	rate: RateLimit;
}

/** Reads API_RATE_LIMIT_PER_MINUTE (default 600 per token); a bad value stops the start-up with a clear message. */
export function apiSettingsFromEnv(env: Record<string, string | undefined>): ApiSettings {
	const raw = env.API_RATE_LIMIT_PER_MINUTE;
	const max = raw === undefined || raw === '' ? 600 : Number(raw);
	if (!Number.isInteger(max) || max < 1) throw new Error(`API_RATE_LIMIT_PER_MINUTE must be a whole number of at least 1, not "${raw}".`);
	return { rate: { max, windowMs: 60_000 } };
}

/**
 * Runs one API call: the bearer token (401), its rate limit (429 with Retry-After), its scope (403), the path's ids
 * (404), the board — membership first (404, so a board one cannot see stays unseen), then the token's grant and the
 * role (403) — the query (400) and the body (415, 400, 422), the Idempotency-Key of a POST, then the handler. Every
 * refusal is problem+json and happens before anything changes.
 */
export async function runEndpoint(endpoint: Endpoint, rawParams: Record<string, string>, event: RequestEvent, settings: ApiSettings): Promise<Response> {
	const { db, clock } = event.locals.ctx;
	let release: (() => Promise<void>) | null = null;
	try {
		const now = clock.now();
		const auth = await authenticateApiToken(db, event.request.headers.get('authorization'), now);
		if (!auth.ok) throw new ApiProblem(401, 'unauthenticated', auth.message, { reason: auth.reason }, { 'www-authenticate': `Bearer realm="flowdeck"${auth.reason === 'missing' ? '' : ', error="invalid_token"'}` });
		const { user, grant } = auth;
		await requireRateSlots(db, [{ key: `api:token:${grant.tokenId}`, limit: settings.rate }], now, (wait) => `This token sent more than ${settings.rate.max} requests in a minute. Try again in ${wait}.`);
		if (endpoint.scope === 'write' && grant.scope !== 'write') throw new ApiProblem(403, 'token_scope', 'This token may only read. Create a token with read and write scope to change boards.');
		const params = parse(endpoint.params, rawParams, (error) => new ApiProblem(404, 'not_found', `Nothing is at this address: ${error.issues[0]?.message ?? 'a bad id'}.`));
		const board = 'boardId' in rawParams ? await requireBoard(db, endpoint, rawParams.boardId!, user.id, grant) : (undefined as unknown as BoardAccess);
		const query = parse(endpoint.query, queryObject(event.url.searchParams), (error) => new ApiProblem(400, 'invalid_request', `The query is not valid: ${describe(error)}`, { errors: fieldProblems(error) }));
		const text = endpoint.body ? await readBodyText(event.request) : '';
		const body = endpoint.body ? parse(endpoint.body, parseJson(text), (error) => new ApiProblem(422, 'validation', `The request body is not valid: ${describe(error)}`, { errors: fieldProblems(error) })) : undefined;
		const key = event.request.method === 'POST' ? event.request.headers.get('idempotency-key') : null;
		let finish: ((result: EndpointResult) => Promise<void>) | null = null;
		if (key !== null) {
			const claim = await claimIdempotencyKey(db, grant.tokenId, key, `${event.request.method} ${event.url.pathname}\n${text}`, now);
			if (claim.kind === 'replay') return answer(claim.result, event.url, { 'idempotent-replayed': 'true' });
			finish = claim.finish;
			release = claim.release;
		}
		const result = await endpoint.handler({ params, query, body, user, grant, ctx: event.locals.ctx, now, board, clientAddress: event.getClientAddress(), limits: event.locals.limits });
		release = null;
		if (finish) await finish(result);
		return answer(result, event.url);
	} catch (err) {
		if (release) await release();
		const problem = toProblem(err);
		if (problem) return problemResponse(problem);
		console.error(err);
		return problemResponse(new ApiProblem(500, 'server_error', 'Something went wrong on our side. Nothing you sent was lost: please try again.'));
	}
}

/** The board the path names, as the caller may use it here; problems in the order that leaks nothing to strangers. */
async function requireBoard(db: Parameters<typeof findBoardAccess>[0], endpoint: Endpoint, boardId: string, userId: string, grant: Parameters<typeof grantReaches>[0]): Promise<BoardAccess> {
	const access = boardId.length <= 64 ? await findBoardAccess(db, boardId, userId) : null;
	if (!access) throw new ApiProblem(404, 'not_found', BOARD_NOT_FOUND);
	if (!grantReaches(grant, boardId)) throw new ApiProblem(403, 'token_board', 'This token is limited to other boards. Create a token that reaches this board.');
	const action = endpoint.boardAction ?? (endpoint.scope === 'write' ? 'edit_content' : 'view');
	if (!can(access.role, action)) throw new ApiProblem(403, 'role', access.role === 'viewer' ? 'Viewers cannot change this board. Ask an owner for editor access.' : 'Your role on this board does not allow this.');
	return access;
}

function parse<T>(schema: z.ZodType<T> | undefined, value: unknown, problem: (error: z.ZodError) => ApiProblem): T {
	if (!schema) return undefined as T;
	const parsed = schema.safeParse(value);
	if (!parsed.success) throw problem(parsed.error);
	return parsed.data;
}

function describe(error: z.ZodError): string {
	const first = error.issues[0];
	if (!first) return 'it does not match.';
	return first.path.length > 0 ? `${first.path.join('.')}: ${first.message}` : first.message;
}

/** The query string as an object (a repeated member keeps its last value; empty values count as absent). */
function queryObject(params: URLSearchParams): Record<string, string> {
	return Object.fromEntries([...params].filter(([, v]) => v !== ''));
}

async function readBodyText(request: Request): Promise<string> {
	if (!/^application\/(merge-patch\+)?json\b/i.test(request.headers.get('content-type') ?? '')) throw new ApiProblem(415, 'unsupported_media_type', 'Send the request body as JSON (Content-Type: application/json).');
	return request.text();
}

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		throw new ApiProblem(400, 'invalid_request', 'The request body is not valid JSON.');
	}
}

/** The handler's answer as JSON; a page with more after it also says where (Link: rel="next"). */
function answer(result: EndpointResult, url: URL, headers: Record<string, string> = {}): Response {
	const all: Record<string, string> = { 'cache-control': 'no-store', ...headers };
	const next = (result.body as { nextCursor?: unknown } | undefined)?.nextCursor;
	if (typeof next === 'string') {
		const link = new URL(url);
		link.searchParams.set('cursor', next);
		all.link = `<${link.pathname}${link.search}>; rel="next"`;
	}
	if (result.status === 204 || result.body === undefined) return new Response(null, { status: result.status, headers: all });
	return new Response(JSON.stringify(result.body), { status: result.status, headers: { ...all, 'content-type': 'application/json' } });
}
