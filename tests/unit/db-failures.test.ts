import { describe, expect, it } from 'vitest';
import { classifyFailure, describeFailure } from '../../src/lib/server/db/failures.ts';
import { inChunks, MAX_BIND_PARAMETERS } from '../../src/lib/server/db/batches.ts';

/** An error shaped like drizzle's: the statement and parameters in its message, the driver's error as `cause`. */
function drizzleError(cause: Error & { code?: string }): Error {
	return new Error(`Failed query: insert into "card_events" values ($1, $2)\nparams: secret-title,board-1`, { cause });
}
const driverError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('database failures', () => {
	it('sorts errors by what retrying can do, looking through drizzle’s wrapper', () => {
		expect(classifyFailure(drizzleError(driverError('CONNECTION_CLOSED', 'write CONNECTION_CLOSED 127.0.0.1:5432')))).toBe('transient');
		expect(classifyFailure(driverError('57P01', 'terminating connection due to administrator command'))).toBe('transient');
		expect(classifyFailure(driverError('ECONNREFUSED', 'connect ECONNREFUSED'))).toBe('transient');
		expect(classifyFailure(drizzleError(driverError('23514', 'violates check constraint')))).toBe('permanent');
		expect(classifyFailure(driverError('22P05', 'unsupported Unicode escape sequence'))).toBe('permanent');
		expect(classifyFailure(driverError('MAX_PARAMETERS_EXCEEDED', 'Max number of parameters (65534) exceeded'))).toBe('permanent');
		expect(classifyFailure(drizzleError(driverError('23503', 'violates foreign key constraint')))).toBe('gone');
		expect(classifyFailure(new TypeError('Cannot read properties of null'))).toBe('unknown');
		expect(classifyFailure('not an error')).toBe('unknown');
	});

	it('describes a failure by code and the database’s one-line message, never the statement or its parameters', () => {
		const text = describeFailure(drizzleError(driverError('23514', 'new row violates check constraint "x"')));
		expect(text).toBe('23514: new row violates check constraint "x"');
		expect(describeFailure(new Error('Failed query: insert …\nparams: secret-title'))).toBe('query failed');
		expect(describeFailure(new Error('x'.repeat(1000))).length).toBeLessThanOrEqual(160);
	});

	it('splits batches so that no statement passes the drivers’ bind-parameter limit', () => {
		const rows = Array.from({ length: 9_000 }, (_, i) => i);
		const chunks = inChunks(rows, MAX_BIND_PARAMETERS / 8);
		expect(chunks.flat()).toEqual(rows);
		expect(Math.max(...chunks.map((c) => c.length * 8))).toBeLessThan(65_534);
		expect(inChunks([], 10)).toEqual([]);
	});
});
