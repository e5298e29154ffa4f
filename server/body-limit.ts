import type { IncomingMessage, ServerResponse } from 'node:http';
import { TRELLO_MAX_BYTES } from '../src/lib/server/import/trello/limits.ts';

/** adapter-node's default body limit (512 KB), which every route but the uploads and imports keeps. */
export const DEFAULT_BODY_LIMIT = 512 * 1024;
/** Routes that read files: card attachments, the Trello import's two steps, a board restore and a cards CSV. Each counts the bytes itself. */
const LARGE_BODY_PATHS = [
	/^\/api\/boards\/[^/]+\/cards\/[^/]+\/attachments\/?$/,
	/^\/import\/trello\/(dry-run|run)\/?$/,
	/^\/api\/import\/flowdeck\/?$/,
	/^\/api\/boards\/[^/]+\/cards\.csv$/
];

/**
 * Lets uploads and imports past adapter-node's body limit while every other route keeps the default: raises
 * `BODY_SIZE_LIMIT` (unless the operator set it) to the larger of the upload and Trello limits, and answers 413 to any
 * other request that announces a body over 512 KB, and 411 to any other request that sends a body without announcing
 * its length (so the raised backstop only ever applies to the routes that count bytes themselves). Call before the
 * handler is imported (adapter-node reads the variable once). Returns the request guard.
 */
export function bodyLimits(env: NodeJS.ProcessEnv, uploadMaxBytes: number): (req: IncomingMessage, res: ServerResponse) => boolean {
	if (env.BODY_SIZE_LIMIT) return () => false;
	// A little over the limit, so the route (with its clearer message) is the one that refuses a file just too large.
	env.BODY_SIZE_LIMIT = String(Math.max(uploadMaxBytes, TRELLO_MAX_BYTES) + 64 * 1024);
	return (req, res) => {
		const announced = req.headers['content-length'];
		const chunked = announced === undefined && req.headers['transfer-encoding'] !== undefined;
		const length = Number(announced);
		if (!chunked && (!Number.isFinite(length) || length <= DEFAULT_BODY_LIMIT)) return false;
		const path = (req.url ?? '').split('?')[0]!;
		if (req.method === 'POST' && LARGE_BODY_PATHS.some((p) => p.test(path))) return false;
		if (chunked) {
			res.writeHead(411, { 'content-type': 'application/json', 'x-content-type-options': 'nosniff', connection: 'close' });
			res.end(JSON.stringify({ message: 'Send the request with a Content-Length header.' }));
		} else {
			res.writeHead(413, { 'content-type': 'application/json', 'x-content-type-options': 'nosniff', connection: 'close' });
			res.end(JSON.stringify({ message: 'The request is too large (over 512 KB).' }));
		}
		return true;
	};
}
