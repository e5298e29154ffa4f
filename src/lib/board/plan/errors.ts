/** Why a planning function refused its input; a route maps every code to 400 (the caller sent something wrong). */
export type PlanErrorCode =
	| 'invalid_day'
	| 'invalid_time_zone'
	| 'invalid_instant'
	| 'invalid_number'
	| 'out_of_range'
	| 'invalid_plan'
	| 'invalid_rule';

/** A planning input that is not valid: carries a machine-readable code and a message a person can act on. */
export class PlanError extends Error {
	constructor(
		readonly code: PlanErrorCode,
		message: string
	) {
		super(message);
		this.name = 'PlanError';
	}
}
