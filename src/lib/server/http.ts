import { error, fail, isHttpError, json, redirect, type ActionFailure, type RequestEvent } from '@sveltejs/kit';
import { DomainError, statusForCode } from './errors.ts';
import { ValidationError, type FieldErrors } from './validation.ts';
import type { SessionUser } from './auth/sessions.ts';

/** What a failed form action returns: per-field errors, a form-level message, and the values to refill. */
export interface FormProblem {
	action?: string;
	message: string;
	errors: FieldErrors;
	values: Record<string, string>;
}

/** The signed-in user, or a redirect to the sign-in page that comes back here afterwards. */
export function requireUser(event: RequestEvent): SessionUser {
	if (event.locals.user) return event.locals.user;
	const next = event.url.pathname + event.url.search;
	redirect(303, `/login?next=${encodeURIComponent(next)}`);
}

/**
 * Runs a form action; a DomainError becomes an inline failure (404 for boards one may not see),
 * anything else propagates to the error page. Secrets (passwords) are never echoed back.
 */
export async function formAction<T>(
	action: string,
	form: FormData,
	run: () => Promise<T>
): Promise<T | ActionFailure<FormProblem>> {
	try {
		return await run();
	} catch (err) {
		if (!(err instanceof DomainError)) throw err;
		if (err.code === 'not_found') error(404, err.message);
		const values: Record<string, string> = {};
		for (const [key, value] of form) if (typeof value === 'string' && !/password/i.test(key)) values[key] = value;
		const errors = err instanceof ValidationError ? err.fields : err.field ? { [err.field]: err.message } : {};
		return fail(statusForCode[err.code], { action, message: err.message, errors, values });
	}
}

/** Runs `run`; if it is refused as throttled, the response also says when to retry (`Retry-After`). */
export async function retryAfterOnThrottle<T>(event: Pick<RequestEvent, 'setHeaders'>, run: () => Promise<T>): Promise<T> {
	try {
		return await run();
	} catch (err) {
		if (err instanceof DomainError && err.code === 'throttled' && err.retryAfterSeconds) event.setHeaders({ 'retry-after': String(err.retryAfterSeconds) });
		throw err;
	}
}

/** Runs a loader step; a DomainError becomes the matching error page (404 hides boards one may not see). */
export async function orErrorPage<T>(run: () => Promise<T>): Promise<T> {
	try {
		return await run();
	} catch (err) {
		if (err instanceof DomainError) error(statusForCode[err.code], err.message);
		throw err;
	}
}

/**
 * Refuses a write that did not come from this app's own pages: its `Origin` must be the app's (SvelteKit checks this
 * for form posts only, not for JSON). Browsers always send `Origin` on a cross-site POST, and a JSON body cannot be
 * sent cross-site without a preflight we never answer; this closes the door for anything that slips past either.
 */
export function requireSameOrigin(event: Pick<RequestEvent, 'request' | 'url'>): void {
	if (event.request.headers.get('origin') !== event.url.origin) error(403, 'Cross-site writes are not allowed.');
}

/** The JSON body of an API write: 415 unless it says it is JSON, 400 unless it parses. */
export async function readJsonBody(request: Request): Promise<unknown> {
	if (!/^application\/json\b/i.test(request.headers.get('content-type') ?? '')) error(415, 'Send the request as JSON (Content-Type: application/json).');
	try {
		return await request.json();
	} catch {
		error(400, 'The request body is not valid JSON.');
	}
}

/**
 * Runs a JSON API handler: every refusal — a DomainError (404 for boards one may not see, 403 for low roles, 400 for
 * bad input, 409 for conflicts) or an `error()` thrown on the way — answers `{ message }` as JSON with its status,
 * whatever the request's Accept header says; anything else propagates (500).
 */
export async function jsonApi(run: () => Promise<Response>): Promise<Response> {
	try {
		return await run();
	} catch (err) {
		if (err instanceof DomainError) return json({ message: err.message }, { status: statusForCode[err.code], headers: { 'cache-control': 'no-store' } });
		if (isHttpError(err)) return json({ message: err.body.message }, { status: err.status, headers: { 'cache-control': 'no-store' } });
		throw err;
	}
}
