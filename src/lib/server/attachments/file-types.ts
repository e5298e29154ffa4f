import { DomainError } from '../errors.ts';
import { ACCEPTED_EXTENSIONS } from '../../comments/file-kinds.ts';

// What a card may carry, told from the bytes (magic numbers), never from the name or the browser's claim. No
// file-type library is installed; this table covers the few kinds Flowdeck takes.

/** What the bytes of a file are. */
export type Sniffed = 'png' | 'jpeg' | 'gif' | 'webp' | 'pdf' | 'zip' | 'text' | 'html' | 'binary';

/** A kind of file a card takes: the type it is served as, and what its bytes must be. */
interface Accepted {
	mime: string;
	bytes: Sniffed;
	/** How the kind reads in a message ("a PNG image"). */
	label: string;
}

// Typed by the shared list, so the page's file picker and this check cannot disagree.
const ACCEPTED: Record<(typeof ACCEPTED_EXTENSIONS)[number], Accepted> = {
	png: { mime: 'image/png', bytes: 'png', label: 'a PNG image' },
	jpg: { mime: 'image/jpeg', bytes: 'jpeg', label: 'a JPEG image' },
	jpeg: { mime: 'image/jpeg', bytes: 'jpeg', label: 'a JPEG image' },
	gif: { mime: 'image/gif', bytes: 'gif', label: 'a GIF image' },
	webp: { mime: 'image/webp', bytes: 'webp', label: 'a WebP image' },
	pdf: { mime: 'application/pdf', bytes: 'pdf', label: 'a PDF document' },
	docx: { mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', bytes: 'zip', label: 'a Word document' },
	xlsx: { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', bytes: 'zip', label: 'an Excel workbook' },
	pptx: { mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', bytes: 'zip', label: 'a PowerPoint presentation' },
	txt: { mime: 'text/plain; charset=utf-8', bytes: 'text', label: 'a text file' },
	md: { mime: 'text/markdown; charset=utf-8', bytes: 'text', label: 'a Markdown file' },
	markdown: { mime: 'text/markdown; charset=utf-8', bytes: 'text', label: 'a Markdown file' },
	csv: { mime: 'text/csv; charset=utf-8', bytes: 'text', label: 'a CSV file' }
};

/** What the found bytes read as in a message. */
const SNIFFED_LABEL: Record<Sniffed, string> = {
	png: 'a PNG image',
	jpeg: 'a JPEG image',
	gif: 'a GIF image',
	webp: 'a WebP image',
	pdf: 'a PDF document',
	zip: 'a ZIP archive',
	text: 'plain text',
	html: 'a web page (HTML)',
	binary: 'binary data of another kind'
};

/** Extensions of files a browser would run as a page or script: refused by name whatever their bytes. */
const ACTIVE = new Set(['html', 'htm', 'xhtml', 'xht', 'shtml', 'svg', 'svgz', 'xml', 'xsl', 'js', 'mjs', 'hta', 'swf']);

/** How many bytes the check reads from the start of a file. */
export const SNIFF_BYTES = 8192;

/** The types a browser may show inline (everything else downloads). */
export const INLINE_TYPES: ReadonlySet<string> = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);


const startsWith = (head: Uint8Array, bytes: readonly number[], at = 0) => bytes.every((b, i) => head[at + i] === b);
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

// The start of an HTML document as browsers sniff it (WHATWG MIME Sniffing, "identifying a resource with an
// unknown MIME type"), plus XML and SVG, which can carry scripts too.
const HTML_START = /^(?:<!doctype html|<html|<head|<script|<iframe|<h1|<div|<font|<table|<a|<style|<title|<b|<body|<br|<p|<!--|<\?xml|<svg)(?:[\s>]|$)/i;

/** What a file's first bytes are. */
export function sniff(head: Uint8Array): Sniffed {
	if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
	if (startsWith(head, [0xff, 0xd8, 0xff])) return 'jpeg';
	if (startsWith(head, ascii('GIF87a')) || startsWith(head, ascii('GIF89a'))) return 'gif';
	if (startsWith(head, ascii('RIFF')) && startsWith(head, ascii('WEBP'), 8)) return 'webp';
	if (startsWith(head, ascii('%PDF-'))) return 'pdf';
	if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) return 'zip';
	const text = asText(head);
	if (text === null) return 'binary';
	return HTML_START.test(text.replace(/^\uFEFF/, '').trimStart()) ? 'html' : 'text';
}

/** The bytes as UTF-8 text, or null when they are not (a NUL byte, or an invalid sequence before the cut). */
function asText(head: Uint8Array): string | null {
	if (head.includes(0)) return null;
	try {
		// `stream: true`: a character cut in two at the end of the sample is not an error.
		return new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
	} catch {
		return null;
	}
}

/** A file's extension, lower case ('' when it has none). */
export function extensionOf(fileName: string): string {
	const dot = fileName.lastIndexOf('.');
	return dot > 0 ? fileName.slice(dot + 1).toLowerCase() : '';
}

/** Refuses, by name alone, a file no card takes (before its bytes are read): pages and scripts, unknown kinds. */
export function checkName(fileName: string): void {
	const ext = extensionOf(fileName);
	if (ACTIVE.has(ext)) throw new DomainError('unsupported_type', `“${fileName}” is a web page or script; those cannot be attached. Attach a PDF or an image of it instead.`, 'file');
	if (!Object.hasOwn(ACCEPTED, ext)) throw new DomainError('unsupported_type', `“${fileName}” is not a kind of file cards take: images (PNG, JPEG, GIF, WebP), PDFs, Word, Excel and PowerPoint files, and text, Markdown or CSV.`, 'file');
}

/** The type a file is served as, once its bytes are found to be what its name says; refuses anything else. */
export function checkBytes(fileName: string, head: Uint8Array): string {
	checkName(fileName);
	const accepted = ACCEPTED[extensionOf(fileName) as keyof typeof ACCEPTED];
	const found = sniff(head);
	if (found === 'html') throw new DomainError('unsupported_type', `“${fileName}” contains a web page (HTML), which cannot be attached.`, 'file');
	if (found !== accepted.bytes) throw new DomainError('unsupported_type', `“${fileName}” is named as ${accepted.label}, but its contents are ${SNIFFED_LABEL[found]}. Check the file and try again.`, 'file');
	return accepted.mime;
}
