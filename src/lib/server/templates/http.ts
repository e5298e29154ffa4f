import { json } from '@sveltejs/kit';
import { DomainError, statusForCode } from '../errors.ts';
import { TemplateProblemsError } from './templates.ts';

const NO_STORE = { 'cache-control': 'private, no-store' };

/**
 * Runs an API handler; a refusal becomes JSON `{ message }` with its status, and a template's problems
 * `{ message, problems: [{ path, message }] }` with 400, so a client can show each one where it belongs.
 */
export async function templateApi(run: () => Promise<Response>): Promise<Response> {
	try {
		return await run();
	} catch (err) {
		if (err instanceof TemplateProblemsError) return json({ message: err.message, problems: err.problems }, { status: 400, headers: NO_STORE });
		if (err instanceof DomainError) return json({ message: err.message }, { status: statusForCode[err.code], headers: NO_STORE });
		throw err;
	}
}

/** JSON that is never cached (it depends on who asks). */
export function privateJson(body: unknown, status = 200): Response {
	return json(body, { status, headers: NO_STORE });
}
