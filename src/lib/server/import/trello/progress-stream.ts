import type { Db } from '../../db/client.ts';
import { DomainError, statusForCode } from '../../errors.ts';
import { importTrello, type ImportChoices, type TrelloUpload } from './import-trello.ts';

/**
 * Runs an import and answers with its progress as it happens, one JSON object per line: `{ phase, done, total }`
 * while building and writing, then `{ boardId, name }`, or `{ error, status }` when it was refused or failed (the
 * import is one transaction, so then nothing was created). The import runs to its end even if the page goes away.
 */
export function importProgressStream(db: Db, userId: string, upload: TrelloUpload, choices: ImportChoices, timeZone: string, now: Date): Response {
	const encoder = new TextEncoder();
	const body = new ReadableStream<Uint8Array>({
		start(controller) {
			let open = true;
			const send = (value: unknown) => {
				if (!open) return;
				try {
					controller.enqueue(encoder.encode(`${JSON.stringify(value)}\n`));
				} catch {
					open = false;
				}
			};
			const finish = () => {
				if (!open) return;
				open = false;
				try {
					controller.close();
				} catch {
					// Already cancelled by the client.
				}
			};
			importTrello(db, userId, upload, choices, timeZone, now, send)
				.then((done) => send(done))
				.catch((err: unknown) => {
					if (err instanceof DomainError) send({ error: err.message, status: statusForCode[err.code] });
					else {
						console.error('Trello import failed', err);
						send({ error: 'The import failed on the server and nothing was created. Try again; if it keeps failing, tell your administrator.', status: 500 });
					}
				})
				.finally(finish);
		},
		cancel() {
			// The page went away: the import goes on (it is one transaction either way), nobody hears of it.
		}
	});
	return new Response(body, { headers: { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' } });
}
