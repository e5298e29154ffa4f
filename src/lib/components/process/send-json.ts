/** What a process-setting write came back with: done, or the server's message for the person who asked. */
export type WriteOutcome<T> = { ok: true; body: T } | { ok: false; message: string };

/** Sends JSON to one of the board's process endpoints and reads the answer; a network failure is a message too. */
export async function sendJson<T>(url: string, method: 'PUT' | 'POST', payload: unknown): Promise<WriteOutcome<T>> {
	try {
		const response = await fetch(url, { method, headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(payload) });
		const body = (await response.json().catch(() => null)) as (T & { message?: unknown }) | null;
		if (response.ok && body) return { ok: true, body };
		return { ok: false, message: typeof body?.message === 'string' ? body.message : `Nothing was changed (the server answered ${response.status}).` };
	} catch {
		return { ok: false, message: 'Nothing was changed: the server could not be reached. Check your connection and try again.' };
	}
}
