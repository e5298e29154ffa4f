import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import { creationLimitsFromEnv, type CreationLimits } from '$lib/server/auth/rate-limit';
import { appContext } from '$lib/server/context';
import { SESSION_COOKIE, clearSessionCookie, setSessionCookie } from '$lib/server/auth/cookie';
import { validateSessionToken } from '$lib/server/auth/sessions';

let limits: CreationLimits | undefined;

/** Reads the sign-up and board-creation limits once; a bad value stops the start-up with a clear message. */
export const init: ServerInit = () => {
	limits = creationLimitsFromEnv(env);
};

/** Resolves the session cookie to `locals.user` on every request and adds security headers. */
export const handle: Handle = async ({ event, resolve }) => {
	const ctx = appContext();
	event.locals.ctx = ctx;
	event.locals.user = null;
	event.locals.session = null;
	event.locals.limits = limits ??= creationLimitsFromEnv(env);
	const token = event.cookies.get(SESSION_COOKIE);
	if (token) {
		const result = await validateSessionToken(ctx.db, token, ctx.clock.now());
		if (result) {
			event.locals.user = result.user;
			event.locals.session = result.session;
			if (result.renewed) setSessionCookie(event.cookies, event.url, token, result.session.expiresAt);
		} else {
			clearSessionCookie(event.cookies, event.url);
		}
	}
	const response = await resolve(event);
	response.headers.set('x-content-type-options', 'nosniff');
	// Invite links carry secrets in their path: never send them on as a Referer.
	response.headers.set('referrer-policy', 'same-origin');
	// Old browsers' frame-ancestors; the Content-Security-Policy itself is configured in svelte.config.js.
	response.headers.set('x-frame-options', 'DENY');
	return response;
};

/** Logs unexpected errors and shows the user a plain message, never a stack trace. */
export const handleError: HandleServerError = ({ error, status }) => {
	if (status !== 404) console.error(error);
	return { message: status === 404 ? 'Page not found.' : 'Something went wrong on our side. Please try again.' };
};
