import type { IncomingMessage, ServerResponse } from 'node:http';
import { TRELLO_MAX_BYTES } from '../src/lib/server/import/trello/limits.ts';

/** adapter-node's default body limit (512 KB), which every route but the upload keeps. */
export const DEFAULT_BODY_LIMIT = 512 * 1024;
const UPLOAD_PATH = /^\/api\/boards\/[^/]+\/cards\/[^/]+\/attachments\/?$/;
/** The Trello import's two steps, which take a whole board export (up to TRELLO_MAX_BYTES). */
const IMPORT_PATH = /^\/import\/trello\/(dry-run|run)\/?$/;

/**
 * Lets card uploads and Trello imports past adapter-node's body limit while every other route keeps the default:
 * raises `BODY_SIZE_LIMIT` (unless the operator set it) to the larger of the upload and import limits, and answers
 * 413 to any other request that announces a body over 512 KB. Call before the handler is imported (adapter-node reads
 * the variable once). Those routes check sizes themselves; adapter-node's limit is the backstop. Returns the guard.
 */
export function bodyLimits(env: NodeJS.ProcessEnv, uploadMaxBytes: number): (req: IncomingMessage, res: ServerResponse) => boolean {
	if (env.BODY_SIZE_LIMIT) return () => false;
	// A little over the limit, so the route (with its clearer message) is the one that refuses a file just too large.
	env.BODY_SIZE_LIMIT = String(Math.max(uploadMaxBytes, TRELLO_MAX_BYTES) + 64 * 1024);
	return (req, res) => {
		const length = Number(req.headers['content-length']);
		if (!Number.isFinite(length) || length <= DEFAULT_BODY_LIMIT) return false;
		const path = (req.url ?? '').split('?')[0]!;
		if (req.method === 'POST' && (UPLOAD_PATH.test(path) || IMPORT_PATH.test(path))) return false;
		res.writeHead(413, { 'content-type': 'application/json', 'x-content-type-options': 'nosniff', connection: 'close' });
		res.end(JSON.stringify({ message: 'The request is too large (over 512 KB).' }));
		return true;
	};
}
