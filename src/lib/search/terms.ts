/** The longest search a person may type (characters). */
export const MAX_SEARCH_LENGTH = 200;

/** Why `q` cannot be searched for (a sentence for the person), or null when it can. Shared by the box and the API. */
export function searchProblem(q: string): string | null {
	const trimmed = q.trim();
	if (trimmed.length === 0) return 'Type a word to search for.';
	if (trimmed.length > MAX_SEARCH_LENGTH) return `Keep the search under ${MAX_SEARCH_LENGTH} characters.`;
	// Punctuation alone makes an empty text-search query: it would match nothing, so say so instead.
	if (!/[\p{L}\p{N}]/u.test(trimmed)) return 'Search for words or numbers: symbols alone match nothing.';
	return null;
}

/**
 * Whether the last word should also match longer words (search as you type: "laun" finds "launch"): a plain list of
 * words that ends in a letter or digit. Quotes, exclusions (`-word`) and `or` keep web-search meaning exactly.
 */
export function wantsPrefix(q: string): boolean {
	const trimmed = q.trimEnd();
	if (trimmed !== q || trimmed.includes('"')) return false;
	const words = trimmed.split(/\s+/);
	const last = words.at(-1) ?? '';
	if (last.startsWith('-') || words.some((w) => w.toLowerCase() === 'or')) return false;
	return /[\p{L}\p{N}]$/u.test(trimmed);
}
