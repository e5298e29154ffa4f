import { DomainError } from '../errors.ts';

/**
 * A request body as text, refused with `too_large` once it passes `maxBytes` (counted as it arrives, whatever the
 * request claims), and with `invalid_input` when it is not UTF-8.
 */
export async function readTextBody(request: Request, maxBytes: number, what: string): Promise<string> {
	const reader = request.body?.getReader();
	if (!reader) return '';
	const chunks: Uint8Array[] = [];
	let size = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		size += value.byteLength;
		if (size > maxBytes) {
			await reader.cancel();
			throw new DomainError('too_large', `The ${what} is larger than this server takes (${Math.floor(maxBytes / 1024 / 1024)} MB).`);
		}
		chunks.push(value);
	}
	try {
		return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
	} catch {
		throw new DomainError('invalid_input', `The ${what} is not UTF-8 text. Save it as UTF-8 (CSV UTF-8 in a spreadsheet) and try again.`);
	}
}
