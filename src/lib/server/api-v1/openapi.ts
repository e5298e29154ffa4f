import { z } from 'zod';
import { ENDPOINTS } from './registry.ts';
import { problemSchema } from './problem.ts';
import type { Endpoint } from './endpoint.ts';
import { MAX_PAGE } from './pagination.ts';

type JsonSchema = Record<string, unknown>;

/** A zod schema as a JSON Schema (draft 2020-12, what OpenAPI 3.1 uses), without its `$schema` member. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
	const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonSchema;
	// Inside an OpenAPI document the dialect is the document's; a per-schema $schema would only repeat it.
	delete json.$schema;
	return json;
}

/** The members of an object schema as OpenAPI parameters (`in: path` or `in: query`). */
function parameters(schema: z.ZodType | undefined, where: 'path' | 'query'): JsonSchema[] {
	if (!schema) return [];
	const json = jsonSchema(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
	return Object.entries(json.properties ?? {}).map(([name, prop]) => {
		const { description, ...rest } = prop;
		return { name, in: where, required: where === 'path' || (json.required ?? []).includes(name), ...(description ? { description } : {}), schema: rest };
	});
}

const ERRORS: Record<string, string> = {
	400: 'The query or body could not be read (problem rule `invalid_request` or `filter`).',
	401: 'No token, or one that is unknown, expired or revoked (`unauthenticated`).',
	403: 'The token’s scope (`token_scope`), its boards (`token_board`) or your role (`role`) does not allow this.',
	404: 'No such board (or not one you are a member of), card, stage or item (`not_found`).',
	409: 'The board’s rules refused it (`wip_limit`, `exit_criteria`, `approval`, `conflict`), or an Idempotency-Key still in flight.',
	415: 'The body is not JSON.',
	422: 'The body breaks the schema or a rule about its values (`validation`), or an Idempotency-Key reused with another body.',
	429: 'The token sent too many requests (`rate_limit`); `Retry-After` says when to try again.'
};

function operation(endpoint: Endpoint): JsonSchema {
	const responses: JsonSchema = {};
	for (const [status, spec] of Object.entries(endpoint.responses)) {
		responses[status] = spec.schema ? { description: spec.description, content: { 'application/json': { schema: jsonSchema(spec.schema, 'output') } } } : { description: spec.description };
	}
	const codes = ['400', '401', '403', '404', '429', ...(endpoint.body ? ['415', '422'] : []), ...(endpoint.scope === 'write' ? ['409', '422'] : [])];
	for (const code of new Set(codes)) responses[code] = { $ref: `#/components/responses/Problem${code}` };
	const headers = endpoint.method === 'POST' ? [{ name: 'Idempotency-Key', in: 'header', required: false, description: 'Retry safely: the same key and body within 24 h replays the first answer (header `Idempotent-Replayed: true`).', schema: { type: 'string', maxLength: 200 } }] : [];
	return {
		operationId: endpoint.operationId,
		tags: [endpoint.tag],
		summary: endpoint.summary,
		...(endpoint.description ? { description: endpoint.description } : {}),
		'x-scope': endpoint.scope,
		security: [{ bearer: [] }],
		parameters: [...parameters(endpoint.params, 'path'), ...parameters(endpoint.query, 'query'), ...headers],
		...(endpoint.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(endpoint.body, 'input') } } } } : {}),
		responses
	};
}

/** The OpenAPI 3.1 document of API v1, built from the same zod schemas that validate its requests. */
export function openApiDocument(): JsonSchema {
	const paths: Record<string, Record<string, JsonSchema>> = {};
	for (const endpoint of ENDPOINTS) (paths[endpoint.path] ??= {})[endpoint.method.toLowerCase()] = operation(endpoint);
	const problem = jsonSchema(problemSchema, 'output');
	return {
		openapi: '3.1.0',
		info: {
			title: 'Flowdeck API',
			version: '1.0.0',
			description: `Boards, stages, cards and their parts over HTTP, with a personal access token. Writes go through the same rules as the board in a browser, and open boards see them live. Lists are paged with opaque cursors (at most ${MAX_PAGE} items a page). Errors are RFC 9457 problem details with a “rule” member naming what refused.`
		},
		servers: [{ url: '/api/v1' }],
		security: [{ bearer: [] }],
		tags: [...new Set(ENDPOINTS.map((e) => e.tag))].map((name) => ({ name })),
		paths,
		components: {
			securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A personal access token (fdk_…) from Account → Access tokens.' } },
			schemas: { Problem: problem },
			responses: Object.fromEntries(Object.entries(ERRORS).map(([code, description]) => [`Problem${code}`, { description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } }]))
		}
	};
}
