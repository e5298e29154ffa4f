/** A same-site path to go to after signing in; anything else (other hosts, `//evil`) falls back to home. */
export function safeNext(next: string | null): string {
	if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
	return next;
}
