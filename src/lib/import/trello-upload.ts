/** Where an upload to the Trello import is: sending the file, then the server's own steps. */
export interface UploadProgress {
	phase: 'upload' | 'build' | 'write';
	done: number;
	total: number;
}

/** How the server answered: its JSON (or, for the import, the last line of its stream), or why not. */
export type UploadResult<T> = { ok: true; value: T } | { ok: false; message: string; status: number };

/**
 * Posts the export (with `fields`) to `url` with real progress: the browser's upload progress, then each line of JSON
 * the server streams (`{ phase, done, total }`) as it arrives. Resolves with the final answer: the body of a plain
 * JSON reply, or the last streamed line (`{ error, status }` when the import was refused or failed).
 */
export function postExport<T>(url: string, file: File, fields: Record<string, string>, onProgress: (p: UploadProgress) => void): Promise<UploadResult<T>> {
	return new Promise((resolve) => {
		const form = new FormData();
		form.set('file', file);
		for (const [k, v] of Object.entries(fields)) form.set(k, v);
		const xhr = new XMLHttpRequest();
		xhr.open('POST', url);
		xhr.setRequestHeader('accept', 'application/json');
		let read = 0;
		let last: unknown = null;
		const readLines = () => {
			const text = xhr.responseText;
			let end: number;
			while ((end = text.indexOf('\n', read)) >= 0) {
				const line = text.slice(read, end).trim();
				read = end + 1;
				if (!line) continue;
				try {
					last = JSON.parse(line);
				} catch {
					continue;
				}
				const p = last as Partial<UploadProgress>;
				if ((p.phase === 'build' || p.phase === 'write') && typeof p.done === 'number' && typeof p.total === 'number') onProgress({ phase: p.phase, done: p.done, total: p.total });
			}
		};
		xhr.upload.onprogress = (e) => {
			if (e.lengthComputable) onProgress({ phase: 'upload', done: e.loaded, total: e.total });
		};
		xhr.onprogress = () => {
			if (xhr.getResponseHeader('content-type')?.startsWith('application/x-ndjson')) readLines();
		};
		xhr.onload = () => {
			const streamed = xhr.getResponseHeader('content-type')?.startsWith('application/x-ndjson');
			if (streamed) {
				readLines();
				const answer = last as { error?: string; status?: number } | null;
				if (!answer) return resolve({ ok: false, message: 'The server stopped answering before the import finished. Look for the board on your boards page before trying again.', status: 0 });
				if (typeof answer.error === 'string') return resolve({ ok: false, message: answer.error, status: answer.status ?? 500 });
				return resolve({ ok: true, value: answer as T });
			}
			let body: { message?: string } | null = null;
			try {
				body = JSON.parse(xhr.responseText) as { message?: string };
			} catch {
				// Not JSON: a proxy's page, say.
			}
			if (xhr.status >= 200 && xhr.status < 300 && body) return resolve({ ok: true, value: body as T });
			resolve({ ok: false, message: body?.message ?? `The server answered ${xhr.status}. Try again.`, status: xhr.status });
		};
		xhr.onerror = () => resolve({ ok: false, message: 'The upload did not reach the server. Check your connection and try again.', status: 0 });
		xhr.send(form);
	});
}
