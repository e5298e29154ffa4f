import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import { creationLimitsFromEnv, type CreationLimits } from '$lib/server/auth/rate-limit';
import { appContext } from '$lib/server/context';
import { SESSION_COOKIE, clearSessionCookie, setSessionCookie } from '$lib/server/auth/cookie';
import { validateSessionToken } from '$lib/server/auth/sessions';
import { apiSettingsFromEnv, type ApiSettings } from '$lib/server/api-v1/handle';

let limits: CreationLimits | undefined;
let api: ApiSettings | undefined;

/** Reads the sign-up, board-creation and API limits once; a bad value stops the start-up with a clear message. */
export const init: ServerInit = () => {
	limits = creationLimitsFromEnv(env);
	api = apiSettingsFromEnv(env);
};

/**
 * Resolves the session cookie to `locals.user` on every request and adds security headers. API v1 (`/api/v1/…`)
 * ignores the cookie: it takes a bearer token only (checked per endpoint), so no ambient credential can make a
 * cross-site write there, and a page's session can never be used by a script on another site.
 */
export const handle: Handle = async ({ event, resolve }) => {
	const ctx = appContext();
	event.locals.ctx = ctx;
	event.locals.user = null;
	event.locals.session = null;
	event.locals.limits = limits ??= creationLimitsFromEnv(env);
	event.locals.api = api ??= apiSettingsFromEnv(env);
	const token = event.url.pathname.startsWith('/api/v1/') ? undefined : event.cookies.get(SESSION_COOKIE);
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
