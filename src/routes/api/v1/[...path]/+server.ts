import type { RequestEvent, RequestHandler } from './$types';
import { matchRoute } from '$lib/server/api-v1/registry';
import { runEndpoint } from '$lib/server/api-v1/handle';
import { ApiProblem, problemResponse } from '$lib/server/api-v1/problem';

/**
 * Every API v1 operation: the registry (src/lib/server/api-v1/registry.ts) routes by method and path, so what is
 * served is exactly what the OpenAPI document describes. Unknown paths and methods answer problem+json too.
 */
async function dispatch(event: RequestEvent): Promise<Response> {
	const match = matchRoute(event.request.method, `/${event.params.path}`);
	if (match.kind === 'endpoint') return runEndpoint(match.endpoint, match.params, event, event.locals.api);
	if (match.kind === 'wrong_method') {
		return problemResponse(new ApiProblem(405, 'method_not_allowed', `${event.request.method} is not allowed here; use ${match.allowed.join(' or ')}.`, {}, { allow: match.allowed.join(', ') }));
	}
	return problemResponse(new ApiProblem(404, 'not_found', `There is no API at ${event.url.pathname}. See /api/v1/openapi.json for what there is.`));
}

export const GET: RequestHandler = dispatch;
export const POST: RequestHandler = dispatch;
export const PATCH: RequestHandler = dispatch;
export const PUT: RequestHandler = dispatch;
export const DELETE: RequestHandler = dispatch;
export const fallback: RequestHandler = dispatch;
