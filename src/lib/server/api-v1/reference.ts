import type { ProblemRule } from './problem.ts';

/** One parameter as the reference page lists it. */
export interface ReferenceParameter {
	name: string;
	in: string;
	required: boolean;
	type: string;
	description: string;
}

/** One operation as the reference page shows it. */
export interface ReferenceOperation {
	id: string;
	method: string;
	path: string;
	summary: string;
	description: string;
	scope: string;
	parameters: ReferenceParameter[];
	/** The request body's JSON Schema, pretty-printed (null: no body). */
	body: string | null;
	responses: { status: string; description: string; schema: string | null }[];
}

/** The reference: operations grouped by tag, in the document's order. */
export interface Reference {
	title: string;
	description: string;
	groups: { tag: string; operations: ReferenceOperation[] }[];
	rules: { rule: ProblemRule; status: string; meaning: string }[];
}

type Json = Record<string, unknown>;

/** A schema's type in a word or two (`string`, `integer`, `array of string`, `string | null`). */
function typeOf(schema: Json | undefined): string {
	if (!schema) return 'any';
	if (Array.isArray(schema.anyOf)) return (schema.anyOf as Json[]).map(typeOf).join(' | ');
	if (Array.isArray(schema.enum)) return (schema.enum as unknown[]).map((v) => JSON.stringify(v)).join(' | ');
	if (schema.type === 'array') return `array of ${typeOf(schema.items as Json)}`;
	return typeof schema.type === 'string' ? schema.type : 'any';
}

const RULES: { rule: ProblemRule; status: string; meaning: string }[] = [
	{ rule: 'unauthenticated', status: '401', meaning: 'No token, or one that is unknown, expired or revoked (the `reason` member says which).' },
	{ rule: 'token_scope', status: '403', meaning: 'A read-only token tried to change something.' },
	{ rule: 'token_board', status: '403', meaning: 'The token is limited to other boards (or cannot create boards).' },
	{ rule: 'role', status: '403', meaning: 'Your role on the board (viewer) does not allow the change.' },
	{ rule: 'not_found', status: '404', meaning: 'No such board — or one you are not a member of — card, stage, item or path.' },
	{ rule: 'method_not_allowed', status: '405', meaning: 'The path exists, the method does not (`Allow` lists the ones that do).' },
	{ rule: 'invalid_request', status: '400', meaning: 'A query parameter, cursor or JSON body that cannot be read.' },
	{ rule: 'filter', status: '400', meaning: 'The `q` filter has a mistake; `start` and `end` say where.' },
	{ rule: 'unsupported_media_type', status: '415', meaning: 'The body was not sent as application/json.' },
	{ rule: 'validation', status: '422', meaning: 'The body breaks the schema or a rule about its values; `errors` lists each field.' },
	{ rule: 'wip_limit', status: '409', meaning: 'The stage is at its hard WIP limit (`limit`).' },
	{ rule: 'exit_criteria', status: '409', meaning: 'The card has not met the stage’s exit criteria (`missing`).' },
	{ rule: 'approval', status: '409', meaning: 'The stage needs a sign-off the card does not have (`approvals`, `needed`).' },
	{ rule: 'conflict', status: '409', meaning: 'The board’s state refused the change (the card moved on, an item was deleted).' },
	{ rule: 'idempotency_in_flight', status: '409', meaning: 'A request with the same Idempotency-Key is still running.' },
	{ rule: 'idempotency_mismatch', status: '422', meaning: 'The Idempotency-Key was used for a different request in the last 24 hours.' },
	{ rule: 'rate_limit', status: '429', meaning: 'The token sent too many requests this minute; wait `Retry-After` seconds.' },
	{ rule: 'server_error', status: '500', meaning: 'Something broke on the server; nothing was half-done. Retry.' }
];

/** The OpenAPI document as the reference page shows it. */
export function referenceOf(document: Json): Reference {
	const info = document.info as Json;
	const tags = (document.tags as { name: string }[]).map((t) => t.name);
	const groups = tags.map((tag) => ({ tag, operations: [] as ReferenceOperation[] }));
	for (const [path, methods] of Object.entries(document.paths as Record<string, Record<string, Json>>)) {
		for (const [method, op] of Object.entries(methods)) {
			const body = ((op.requestBody as Json | undefined)?.content as Record<string, Json> | undefined)?.['application/json']?.schema;
			const responses = Object.entries(op.responses as Record<string, Json>)
				.filter(([, r]) => !('$ref' in r))
				.map(([status, r]) => ({ status, description: String(r.description ?? ''), schema: pretty(((r.content as Record<string, Json> | undefined)?.['application/json'] as Json | undefined)?.schema) }));
			const operation: ReferenceOperation = {
				id: String(op.operationId),
				method: method.toUpperCase(),
				path: `/api/v1${path}`,
				summary: String(op.summary ?? ''),
				description: String(op.description ?? ''),
				scope: String(op['x-scope'] ?? 'read'),
				parameters: ((op.parameters as Json[]) ?? []).map((p) => ({ name: String(p.name), in: String(p.in), required: p.required === true, type: typeOf(p.schema as Json), description: String(p.description ?? '') })),
				body: pretty(body),
				responses
			};
			groups.find((g) => g.tag === (op.tags as string[])[0])?.operations.push(operation);
		}
	}
	return { title: String(info.title), description: String(info.description), groups, rules: RULES };
}

function pretty(schema: unknown): string | null {
	return schema ? JSON.stringify(schema, null, 2) : null;
}
