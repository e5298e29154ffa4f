import type { Cookies } from '@sveltejs/kit';
import { isLoopbackHost } from './cookie.ts';

const REGISTERED_COOKIE = 'flowdeck_registered';

/** Remembers, for ten minutes and only on the sign-in page, the email just signed up with, to prefill it there. */
export function rememberRegisteredEmail(cookies: Cookies, url: URL, email: string): void {
	// A cookie rather than `?email=`: an address in the URL would land in history and server logs.
	cookies.set(REGISTERED_COOKIE, email, { path: '/login', httpOnly: true, sameSite: 'lax', secure: !isLoopbackHost(url.hostname), maxAge: 600 });
}

/** The email just signed up with (once; the cookie is removed), or null. */
export function takeRegisteredEmail(cookies: Cookies, url: URL): string | null {
	const email = cookies.get(REGISTERED_COOKIE);
	if (!email) return null;
	cookies.delete(REGISTERED_COOKIE, { path: '/login', secure: !isLoopbackHost(url.hostname) });
	return email.slice(0, 254);
}
