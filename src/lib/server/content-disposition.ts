// Characters a file name should not carry into someone's downloads folder: controls (a board name may hold a
// line break), path separators, and the quotes and backslash that would end or escape the quoted fallback.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE_IN_NAME = /[\u0000-\u001f\u007f-\u009f/\\"]+/g;

/**
 * A `Content-Disposition: attachment` value that works for any file name (RFC 6266): a quoted ASCII fallback
 * for old clients and `filename*=UTF-8''…` (RFC 8187) with the real name, which browsers prefer.
 */
export function attachmentDisposition(filename: string): string {
	const name = cleanName(filename);
	const fallback = name.replace(/[^\x20-\x7e]+/g, '_').replace(/%/g, '_');
	return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeRfc8187(name)}`;
}

/** The name as it will be saved: controls and separators become spaces, runs of whitespace one space. */
function cleanName(filename: string): string {
	const cleaned = filename.replace(UNSAFE_IN_NAME, ' ').replace(/\s+/g, ' ').trim();
	return cleaned || 'download';
}

// encodeURIComponent leaves ' ( ) * unescaped, but RFC 8187's attr-char does not allow them.
function encodeRfc8187(value: string): string {
	return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
