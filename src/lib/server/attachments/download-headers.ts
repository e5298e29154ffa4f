import { attachmentDisposition } from '../content-disposition.ts';
import type { AttachmentView } from './service.ts';

/** What every served file and thumbnail carries: its bytes are never sniffed, scripted, framed or read cross-site. */
const NEVER_A_PAGE = {
	'x-content-type-options': 'nosniff',
	'content-security-policy': "default-src 'none'; sandbox",
	'cross-origin-resource-policy': 'same-origin'
} as const;

const inline = (fileName: string) => attachmentDisposition(fileName).replace(/^attachment/, 'inline');

/**
 * Headers that serve an uploaded file so it can never run as a page: a download (`attachment`) for everything but
 * images (shown inline), the type found from its bytes with `nosniff`, and a policy that allows nothing and
 * sandboxes whatever a browser makes of it.
 */
export function downloadHeaders(file: Pick<AttachmentView, 'fileName' | 'mimeType' | 'size' | 'image'>): Record<string, string> {
	return {
		'content-type': file.mimeType,
		'content-length': String(file.size),
		'content-disposition': file.image ? inline(file.fileName) : attachmentDisposition(file.fileName),
		...NEVER_A_PAGE,
		// Members only: never kept by a shared cache; the browser asks again (and is checked again) each time.
		'cache-control': 'private, no-cache'
	};
}

/** Headers for an image's WebP thumbnail: as locked down as the file, and kept by the member's browser for good. */
export function thumbnailHeaders(file: Pick<AttachmentView, 'fileName'>, size: number): Record<string, string> {
	return {
		'content-type': 'image/webp',
		'content-length': String(size),
		'content-disposition': inline(`${file.fileName.replace(/\.[^.]*$/, '')}.webp`),
		...NEVER_A_PAGE,
		// An attachment's thumbnail never changes (a new file is a new id), so the browser need not ask again; private,
		// so no shared cache keeps what only members may see.
		'cache-control': 'private, max-age=31536000, immutable'
	};
}
