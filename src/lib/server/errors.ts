/** Machine-readable reasons a domain operation refused; routes map them to HTTP statuses. */
export type ErrorCode =
	| 'invalid_input'
	| 'email_taken'
	| 'bad_credentials'
	| 'throttled'
	| 'not_found'
	| 'forbidden'
	| 'invite_expired'
	| 'invite_revoked'
	| 'last_owner'
	| 'confirmation_mismatch'
	/** The request no longer fits the board's state (a card moved on, a sign-off refused by the board's rules). */
	| 'conflict'
	/** An upload larger than the configured limit. */
	| 'too_large'
	/** A file of a type Flowdeck does not take, or whose bytes are not what its name says. */
	| 'unsupported_type';

/** A refusal the user caused: carries a code, a clear message, and optionally the form field at fault. */
export class DomainError extends Error {
	constructor(
		readonly code: ErrorCode,
		message: string,
		readonly field?: string,
		readonly retryAfterSeconds?: number
	) {
		super(message);
		this.name = 'DomainError';
	}
}

/** HTTP status for each domain error code. */
export const statusForCode: Record<ErrorCode, number> = {
	invalid_input: 400,
	email_taken: 400,
	bad_credentials: 400,
	throttled: 429,
	not_found: 404,
	forbidden: 403,
	invite_expired: 410,
	invite_revoked: 410,
	last_owner: 400,
	confirmation_mismatch: 400,
	conflict: 409,
	too_large: 413,
	unsupported_type: 415
};
