import type { z } from 'zod';
import type { AppContext } from '../context.ts';
import type { SessionUser } from '../auth/sessions.ts';
import type { TokenGrant, TokenScope } from '../auth/api-tokens.ts';
import type { BoardAccess } from '../boards/boards.ts';
import type { BoardAction } from '../auth/permissions.ts';
import type { CreationLimits } from '../auth/rate-limit.ts';

/** HTTP methods the API uses. */
export type ApiMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** What a handler is given: the checked input, who asks with which grant, and the board when the path names one. */
export interface EndpointInput<P, Q, B> {
	params: P;
	query: Q;
	body: B;
	user: SessionUser;
	grant: TokenGrant;
	ctx: AppContext;
	now: Date;
	/** The board of `{boardId}`, checked: a member, granted to the token, with the endpoint's role. */
	board: BoardAccess;
	clientAddress: string;
	/** The sign-up and board-creation limits (a board made through the API counts as one made in the browser). */
	limits: CreationLimits;
}

/** What a handler answers: a status and a JSON body (none for 204). */
export interface EndpointResult {
	status: number;
	body?: unknown;
}

/** One documented response of an endpoint. */
export interface ResponseSpec {
	description: string;
	schema?: z.ZodType;
}

/** One API operation: where it lives, what it needs, its schemas (which both validate and document it), its handler. */
export interface Endpoint<P extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType> {
	method: ApiMethod;
	/** OpenAPI-style path under /api/v1, e.g. `/boards/{boardId}/cards`. */
	path: string;
	operationId: string;
	tag: string;
	summary: string;
	description?: string;
	/** The token scope the call needs: `read` for reads, `write` for anything that changes something. */
	scope: TokenScope;
	/** What the caller's board role must allow when the path has `{boardId}` (default: view for reads, edit_content for writes). */
	boardAction?: BoardAction;
	params?: P;
	query?: Q;
	body?: B;
	/** The success responses by status (errors are the same problem+json for every endpoint). */
	responses: Record<number, ResponseSpec>;
	handler(input: EndpointInput<z.infer<P>, z.infer<Q>, z.infer<B>>): Promise<EndpointResult>;
}

/** Declares an endpoint with its input types inferred from its schemas. */
export function defineEndpoint<P extends z.ZodType = z.ZodUndefined, Q extends z.ZodType = z.ZodUndefined, B extends z.ZodType = z.ZodUndefined>(endpoint: Endpoint<P, Q, B>): Endpoint {
	return endpoint as unknown as Endpoint;
}
