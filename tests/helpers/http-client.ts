/** A minimal browser stand-in for HTTP tests: one session cookie, same-origin form posts, no redirect following. */
export class HttpClient {
	private cookie: string | null = null;
	constructor(readonly base: string) {}

	/** GET a page; returns status, location and body. */
	async get(path: string): Promise<{ status: number; location: string | null; body: string }> {
		return this.send(path, { method: 'GET' });
	}

	/** POST a form as a browser would from our own pages (Origin set to the app). */
	async post(path: string, fields: Record<string, string>, origin = this.base): Promise<{ status: number; location: string | null; body: string }> {
		return this.send(path, {
			method: 'POST',
			body: new URLSearchParams(fields).toString(),
			headers: { 'content-type': 'application/x-www-form-urlencoded', origin }
		});
	}

	/** Signs up, then signs in (sign-up never signs in by itself), and keeps the session cookie. */
	async signUp(name: string, email: string, password = 'plum-orbit-cactus-91'): Promise<void> {
		const res = await this.post('/signup', { name, email, password });
		if (res.status !== 303) throw new Error(`sign-up failed: ${res.status} ${res.body.slice(0, 200)}`);
		await this.logIn(email, password);
	}

	/** Signs in and keeps the session cookie. */
	async logIn(email: string, password = 'plum-orbit-cactus-91'): Promise<void> {
		const res = await this.post('/login', { email, password });
		if (res.status !== 303 || !this.signedIn) throw new Error(`sign-in failed: ${res.status} ${res.body.slice(0, 200)}`);
	}

	/** The Cookie header this client sends ('' when signed out), for WebSocket handshakes. */
	get cookieHeader(): string {
		return this.cookie ?? '';
	}

	/** Whether a session cookie is held. */
	get signedIn(): boolean {
		return this.cookie !== null;
	}

	private async send(path: string, init: RequestInit) {
		const headers = new Headers(init.headers);
		headers.set('accept', 'text/html');
		if (this.cookie) headers.set('cookie', this.cookie);
		const res = await fetch(this.base + path, { ...init, headers, redirect: 'manual' });
		for (const set of res.headers.getSetCookie()) {
			const [pair] = set.split(';');
			const [name, value] = pair!.split('=');
			if (name === 'flowdeck_session') this.cookie = value ? `${name}=${value}` : null;
		}
		return { status: res.status, location: res.headers.get('location'), body: await res.text() };
	}
}
