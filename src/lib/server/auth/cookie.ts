import type { Cookies } from '@sveltejs/kit';

/** Name of the session cookie. */
export const SESSION_COOKIE = 'flowdeck_session';

/** True for hosts a browser treats as a secure context over plain http. */
export function isLoopbackHost(hostname: string): boolean {
	return hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]' || hostname.endsWith('.localhost');
}

/** Sets the session cookie: HttpOnly, SameSite=Lax, Secure everywhere but localhost. */
export function setSessionCookie(cookies: Cookies, url: URL, token: string, expiresAt: Date): void {
	cookies.set(SESSION_COOKIE, token, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: !isLoopbackHost(url.hostname),
		expires: expiresAt
	});
}

/** Removes the session cookie. */
export function clearSessionCookie(cookies: Cookies, url: URL): void {
	cookies.delete(SESSION_COOKIE, { path: '/', secure: !isLoopbackHost(url.hostname) });
}
