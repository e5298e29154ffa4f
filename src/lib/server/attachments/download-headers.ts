import { attachmentDisposition } from '../content-disposition.ts';
import type { AttachmentView } from './service.ts';

/**
 * Headers that serve an uploaded file so it can never run as a page: a download (`attachment`) for everything but
 * images (shown inline, for thumbnails), the type found from its bytes with `nosniff`, and a policy that allows
 * nothing and sandboxes whatever a browser makes of it.
 */
export function downloadHeaders(file: Pick<AttachmentView, 'fileName' | 'mimeType' | 'size' | 'image'>): Record<string, string> {
	const disposition = attachmentDisposition(file.fileName);
	return {
		'content-type': file.mimeType,
		'content-length': String(file.size),
		'content-disposition': file.image ? disposition.replace(/^attachment/, 'inline') : disposition,
		'x-content-type-options': 'nosniff',
		'content-security-policy': "default-src 'none'; sandbox",
		'cross-origin-resource-policy': 'same-origin',
		// Members only: never kept by a shared cache; the browser asks again (and is checked again) each time.
		'cache-control': 'private, no-cache'
	};
}
