/**
 * What a failed statement means for whoever retries it:
 * - `transient`: the database or the connection is unavailable (down, restarting, connections dropped, overloaded,
 *   a deadlock); the same statement will work later, so retry with backoff for as long as it takes.
 * - `permanent`: the database refused the statement itself (bad data, a constraint, a statement too big); retrying
 *   the same rows will fail the same way.
 * - `gone`: a foreign-key violation: the board the rows belong to was deleted.
 * - `unknown`: anything else (a driver bug, a closed PGlite): retry a few times, then treat as permanent if the
 *   database otherwise answers.
 */
export type FailureKind = 'transient' | 'permanent' | 'gone' | 'unknown';

/** postgres.js and Node socket codes for a connection that is not there (yet). */
const CONNECTION_CODES = new Set([
	'CONNECTION_CLOSED',
	'CONNECTION_ENDED',
	'CONNECTION_DESTROYED',
	'CONNECT_TIMEOUT',
	'ECONNREFUSED',
	'ECONNRESET',
	'EPIPE',
	'ETIMEDOUT',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH'
]);

/** SQLSTATE classes that clear up by themselves: connection exception, rollback (deadlock, serialization),
 * insufficient resources, object not in prerequisite state (lock timeout), operator intervention (shutdown,
 * cancel), system error. */
const TRANSIENT_CLASSES = new Set(['08', '40', '53', '55', '57', '58']);

/** SQLSTATE classes that reject the statement or its data: retrying the same rows cannot succeed. */
const PERMANENT_CLASSES = new Set(['0A', '21', '22', '23', '2B', '42', '54']);

/** The first `code` on the error or its `cause` chain (drizzle wraps the driver's error). */
export function failureCode(err: unknown): string | undefined {
	for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
		const code = (e as { code?: unknown }).code;
		if (typeof code === 'string' && code) return code;
	}
	return undefined;
}

/** Sorts a database error into what retrying it can achieve (see `FailureKind`). */
export function classifyFailure(err: unknown): FailureKind {
	const code = failureCode(err);
	if (code === undefined) return 'unknown';
	if (code === '23503') return 'gone';
	if (CONNECTION_CODES.has(code)) return 'transient';
	if (code === 'MAX_PARAMETERS_EXCEEDED') return 'permanent';
	if (/^[0-9A-Z]{5}$/.test(code)) {
		const cls = code.slice(0, 2);
		if (TRANSIENT_CLASSES.has(cls)) return 'transient';
		if (PERMANENT_CLASSES.has(cls)) return 'permanent';
	}
	return 'unknown';
}

/**
 * A short, loggable description: code and the database's own one-line message. Never the statement or its
 * parameters: drizzle's and postgres.js's errors carry both (a big batch made megabytes of log per retry), and
 * parameters hold board content.
 */
export function describeFailure(err: unknown): string {
	let innermost: unknown = err;
	for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) innermost = e;
	const code = failureCode(err);
	const raw = innermost instanceof Error ? innermost.message : String(innermost);
	// drizzle's own message is "Failed query: <sql>\nparams: <values>": keep neither.
	const message = raw.startsWith('Failed query:') ? 'query failed' : (raw.split('\n')[0] ?? '').slice(0, 160);
	return code ? `${code}: ${message}` : message;
}
