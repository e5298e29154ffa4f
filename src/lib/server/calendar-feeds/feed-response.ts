import { attachmentDisposition } from '../content-disposition.ts';
import type { FeedFile } from './read-feed.ts';

/** The header values of a feed, on its 200 and its 304 alike. */
function feedHeaders(file: FeedFile): Record<string, string> {
	return {
		etag: `"${file.etag}"`,
		'last-modified': file.lastModified.toUTCString(),
		// The link is a secret: no shared cache may keep it. Apps may reuse their copy for five minutes.
		'cache-control': 'private, max-age=300',
		'x-robots-tag': 'noindex'
	};
}

/** Whether the client's copy is current: its If-None-Match names the ETag or, without one, If-Modified-Since is not older. */
function notModified(request: Request, file: FeedFile): boolean {
	const match = request.headers.get('if-none-match');
	if (match !== null) {
		return match
			.split(',')
			.map((tag) => tag.trim().replace(/^W\//, ''))
			.some((tag) => tag === '*' || tag === `"${file.etag}"`);
	}
	const since = Date.parse(request.headers.get('if-modified-since') ?? '');
	// HTTP dates have whole seconds.
	return Number.isFinite(since) && since >= Math.floor(file.lastModified.getTime() / 1000) * 1000;
}

/** The feed's answer to `request`: 304 when the client's copy is current, else the iCalendar file. */
export function feedResponse(request: Request, file: FeedFile): Response {
	const headers = feedHeaders(file);
	if (notModified(request, file)) return new Response(null, { status: 304, headers });
	return new Response(file.render(), {
		status: 200,
		headers: { ...headers, 'content-type': 'text/calendar; charset=utf-8', 'content-disposition': attachmentDisposition(file.filename) }
	});
}
