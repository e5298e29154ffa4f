import { marked } from 'marked';
import DOMPurify from 'dompurify';

/** Renders card markdown to HTML that is safe to insert: sanitized by DOMPurify, links open safely. Browser only. */
export function renderMarkdown(source: string): string {
	const html = marked.parse(source, { async: false, gfm: true, breaks: true });
	return DOMPurify.sanitize(html, { USE_PROFILES: { html: true }, FORBID_TAGS: ['style', 'form', 'input', 'button'], FORBID_ATTR: ['style'] });
}
