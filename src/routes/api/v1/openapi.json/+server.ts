import type { RequestHandler } from './$types';
import { openApiDocument } from '$lib/server/api-v1/openapi';

let cached: string | undefined;

/** GET /api/v1/openapi.json — the API's OpenAPI 3.1 document (public: it describes, it reveals no data). */
export const GET: RequestHandler = () => {
	cached ??= JSON.stringify(openApiDocument());
	return new Response(cached, { headers: { 'content-type': 'application/json', 'cache-control': 'public, max-age=300', 'access-control-allow-origin': '*' } });
};
