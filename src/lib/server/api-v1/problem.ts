import { isHttpError } from '@sveltejs/kit';
import { z } from 'zod';
import { DomainError, statusForCode } from '../errors.ts';
import { FilterQueryError } from '../filter/card-filter.ts';
import { TemplateProblemsError } from '../templates/templates.ts';

/**
 * Which rule refused a request: a machine-readable name next to the human message. Clients branch on this, never on
 * the wording.
 */
export type ProblemRule =
	| 'unauthenticated'
	| 'token_scope'
	| 'token_board'
	| 'role'
	| 'not_found'
	| 'method_not_allowed'
	| 'invalid_request'
	| 'validation'
	| 'filter'
	| 'wip_limit'
	| 'exit_criteria'
	| 'approval'
	| 'conflict'
	| 'rate_limit'
	| 'idempotency_mismatch'
	| 'idempotency_in_flight'
	| 'unsupported_media_type'
	| 'too_large'
	| 'server_error';

const TITLES: Record<ProblemRule, string> = {
	unauthenticated: 'Authentication required',
	token_scope: 'The token’s scope does not allow this',
	token_board: 'The token does not reach this board',
	role: 'Your role on the board does not allow this',
	not_found: 'Not found',
	method_not_allowed: 'Method not allowed',
	invalid_request: 'Invalid request',
	validation: 'The request body is not valid',
	filter: 'The filter is not valid',
	wip_limit: 'The stage is at its WIP limit',
	exit_criteria: 'Exit criteria are not met',
	approval: 'The card is not signed off',
	conflict: 'The board’s state does not allow this',
	rate_limit: 'Too many requests',
	idempotency_mismatch: 'Idempotency-Key reused with a different request',
	idempotency_in_flight: 'A request with this Idempotency-Key is still running',
	unsupported_media_type: 'Send JSON',
	too_large: 'Too large',
	server_error: 'Something went wrong on our side'
};

/** One field's problem in a refused body or query. */
export interface FieldProblem {
	path: string;
	message: string;
}

/** A refusal as RFC 9457 problem details: status, the rule that refused, a message, and optional members. */
export class ApiProblem extends Error {
	constructor(
		readonly status: number,
		readonly rule: ProblemRule,
		readonly detail: string,
		readonly extra: Record<string, unknown> = {},
		readonly headers: Record<string, string> = {}
	) {
		super(detail);
		this.name = 'ApiProblem';
	}
}

/** The problem+json body, as the OpenAPI document describes it. */
export const problemSchema = z
	.object({
		type: z.string().describe('A link to this rule in the API reference.'),
		title: z.string(),
		status: z.number().int(),
		detail: z.string().describe('What went wrong, for a person.'),
		rule: z.string().describe('The rule that refused the request (wip_limit, token_scope, validation, …).'),
		errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
		retryAfter: z.number().int().optional()
	})
	.loose();

/** The problem as a `application/problem+json` response. */
export function problemResponse(problem: ApiProblem): Response {
	const body = { type: `/api/docs#problem-${problem.rule}`, title: TITLES[problem.rule], status: problem.status, detail: problem.detail, rule: problem.rule, ...problem.extra };
	return new Response(JSON.stringify(body), { status: problem.status, headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store', ...problem.headers } });
}

/** Zod issues as field problems (`path` is dotted: `labels.0.name`). */
export function fieldProblems(error: z.ZodError): FieldProblem[] {
	return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}

const RULE_FOR_CODE: Record<string, ProblemRule> = {
	not_found: 'not_found',
	forbidden: 'role',
	conflict: 'conflict',
	throttled: 'rate_limit',
	too_large: 'too_large',
	unsupported_type: 'unsupported_media_type'
};

/**
 * Any refusal as a problem: ApiProblem as it is, DomainError by its code (a filter's mistake with where it is, a
 * template's with every problem), SvelteKit's `error()` by its status; null for anything unexpected (a 500).
 */
export function toProblem(err: unknown): ApiProblem | null {
	if (err instanceof ApiProblem) return err;
	if (err instanceof FilterQueryError) return new ApiProblem(400, 'filter', err.message, { start: err.start, end: err.end });
	if (err instanceof TemplateProblemsError) return new ApiProblem(422, 'validation', err.message, { errors: err.problems.map((p) => ({ path: p.path, message: p.message })) });
	if (err instanceof DomainError) {
		const status = err.code === 'invalid_input' || err.code === 'last_owner' || err.code === 'confirmation_mismatch' ? 422 : statusForCode[err.code];
		const extra = err.field ? { errors: [{ path: err.field, message: err.message }] } : {};
		const headers: Record<string, string> = err.retryAfterSeconds ? { 'retry-after': String(err.retryAfterSeconds) } : {};
		return new ApiProblem(status, RULE_FOR_CODE[err.code] ?? 'validation', err.message, extra, headers);
	}
	if (isHttpError(err)) {
		const rule: ProblemRule = err.status === 404 ? 'not_found' : err.status === 415 ? 'unsupported_media_type' : err.status === 413 ? 'too_large' : 'invalid_request';
		return new ApiProblem(err.status, rule, err.body.message);
	}
	return null;
}
