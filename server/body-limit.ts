import type { IncomingMessage, ServerResponse } from 'node:http';

/** adapter-node's default body limit (512 KB), which every route but the upload keeps. */
export const DEFAULT_BODY_LIMIT = 512 * 1024;
const UPLOAD_PATH = /^\/api\/boards\/[^/]+\/cards\/[^/]+\/attachments\/?$/;
/** Imports read files too: a board export (restore) and a cards CSV; their routes count the bytes themselves. */
const IMPORT_PATHS = [/^\/api\/import\/flowdeck\/?$/, /^\/api\/boards\/[^/]+\/cards\.csv$/];

/**
 * Lets card uploads and imports past adapter-node's body limit while every other route keeps the default: raises
 * `BODY_SIZE_LIMIT` (unless the operator set it) to the upload limit, and answers 413 to any other request that
 * announces a body over 512 KB. Call before the handler is imported (adapter-node reads the variable once). The
 * upload route counts the bytes itself; adapter-node's limit is the backstop. Returns the request guard.
 */
export function bodyLimits(env: NodeJS.ProcessEnv, uploadMaxBytes: number): (req: IncomingMessage, res: ServerResponse) => boolean {
	if (env.BODY_SIZE_LIMIT) return () => false;
	// A little over the limit, so the route (with its clearer message) is the one that refuses a file just too large.
	env.BODY_SIZE_LIMIT = String(uploadMaxBytes + 64 * 1024);
	return (req, res) => {
		const length = Number(req.headers['content-length']);
		if (!Number.isFinite(length) || length <= DEFAULT_BODY_LIMIT) return false;
		const path = (req.url ?? '').split('?')[0]!;
		if (req.method === 'POST' && (UPLOAD_PATH.test(path) || IMPORT_PATHS.some((p) => p.test(path)))) return false;
		res.writeHead(413, { 'content-type': 'application/json', 'x-content-type-options': 'nosniff', connection: 'close' });
		res.end(JSON.stringify({ message: 'The request is too large (over 512 KB).' }));
		return true;
	};
}
