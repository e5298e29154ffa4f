import { DomainError } from '../../src/lib/server/errors.ts';

/** Runs `fn` and returns the DomainError it throws; any other outcome fails the test. */
export async function refusal(fn: () => Promise<unknown>): Promise<DomainError> {
	try {
		await fn();
	} catch (err) {
		if (err instanceof DomainError) return err;
		throw err;
	}
	throw new Error('expected a DomainError');
}
