import { error, fail, redirect, type ActionFailure, type RequestEvent } from '@sveltejs/kit';
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
