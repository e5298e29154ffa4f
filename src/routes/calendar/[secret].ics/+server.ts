import type { RequestHandler } from './$types';
import { DomainError, statusForCode } from '$lib/server/errors';
import { readFeed } from '$lib/server/calendar-feeds/read-feed';
import { feedResponse } from '$lib/server/calendar-feeds/feed-response';

/**
 * GET /calendar/<secret>.ics — a calendar feed (iCalendar) for calendar apps, which cannot sign in: the secret is the
 * key, and the feed reads with its person's access as of now. 404 for an unknown, turned-off or no-longer-permitted
 * link, 429 (Retry-After) when fetched too often; ETag and Last-Modified answer a current copy with 304.
 */
export const GET: RequestHandler = async ({ locals, params, request, url }) => {
	const { ctx } = locals;
	try {
		const file = await readFeed(ctx, params.secret, ctx.publicOrigin ?? url.origin);
		return feedResponse(request, file);
	} catch (err) {
		if (!(err instanceof DomainError)) throw err;
		const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' };
		if (err.retryAfterSeconds) headers['retry-after'] = String(err.retryAfterSeconds);
		return new Response(err.message, { status: statusForCode[err.code], headers });
	}
};
