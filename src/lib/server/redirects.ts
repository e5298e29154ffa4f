// Control characters (C0, DEL, C1) and backslashes. Browsers drop tabs and newlines from a Location and read
// `\` as `/`, so `/\t/evil.example` or `/\evil.example` become `//evil.example`, another host; a raw
// newline in a header is also a 500 in Node. None of them belongs in a path we send people to.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\\]/;
// Decoding stops here: anything still percent-encoded after this many rounds is refused outright.
const MAX_DECODES = 3;

/**
 * A same-origin path (with query and fragment) to go to after signing in; anything else — other hosts,
 * `//evil`, `/\evil`, control characters raw or percent-encoded, malformed escapes — falls back to `/`.
 */
export function safeNext(next: string | null | undefined, appOrigin: string): string {
	if (!next || !next.startsWith('/') || hidesUnsafe(next)) return '/';
	let url: URL;
	try {
		url = new URL(next, appOrigin);
	} catch {
		return '/';
	}
	if (url.origin !== new URL(appOrigin).origin) return '/';
	// Resolving dot segments can itself produce `//host` (`/a/..//evil`): check what is actually sent.
	const path = url.pathname + url.search + url.hash;
	return path.startsWith('//') || hidesUnsafe(path) ? '/' : path;
}

/** Whether `text`, or any percent-decoding of it, holds a control character, a backslash or a leading `//`. */
function hidesUnsafe(text: string): boolean {
	let current = text;
	for (let round = 0; round <= MAX_DECODES; round++) {
		if (UNSAFE.test(current) || current.startsWith('//')) return true;
		let decoded: string;
		try {
			decoded = decodeURIComponent(current);
		} catch {
			return true;
		}
		if (decoded === current) return false;
		current = decoded;
	}
	return true;
}
