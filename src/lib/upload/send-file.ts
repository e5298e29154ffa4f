/** What the server answered to an upload: its status and JSON body (null when the body was not JSON). */
export interface SentFile {
	status: number;
	body: Record<string, unknown> | null;
}

/**
 * POSTs a file as the request body with upload progress (fetch cannot report it): `onProgress` gets 0–100 while the
 * bytes go, then `sent()` once they are all there and the server is working. Resolves with the answer; a network
 * failure resolves with status 0.
 */
export function sendFile(url: string, file: Blob, contentType: string, onProgress: (percent: number) => void, sent: () => void = () => {}): Promise<SentFile> {
	return new Promise((resolve) => {
		const xhr = new XMLHttpRequest();
		xhr.open('POST', url);
		xhr.setRequestHeader('content-type', contentType);
		xhr.setRequestHeader('accept', 'application/json');
		xhr.upload.onprogress = (e) => {
			if (e.lengthComputable) onProgress(Math.round((e.loaded / e.total) * 100));
		};
		xhr.upload.onload = () => sent();
		xhr.onload = () => {
			let body: Record<string, unknown> | null = null;
			try {
				body = JSON.parse(xhr.responseText) as Record<string, unknown>;
			} catch {
				// Not JSON (a proxy's error page): the caller words it from the status.
			}
			resolve({ status: xhr.status, body });
		};
		xhr.onerror = () => resolve({ status: 0, body: null });
		xhr.send(file);
	});
}
