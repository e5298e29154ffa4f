/**
 * The filter language's syntax: `owner:me label:seo -is:blocked due:<7d "launch plan"`. Parsing only checks the
 * shape of each term (a known field, a well-formed value); what a value names (a stage, a person) is checked
 * against the board when the query is compiled (./compile.ts). Positions are code-unit offsets into the text.
 */

/** Every field the language knows, and what its values look like (for messages and the help sheet). */
export const FILTER_FIELDS = {
	owner: 'me, @name or none',
	role: 'a team role, e.g. role:"SEO strategist"',
	label: 'a label name',
	stage: 'a stage name',
	is: 'blocked, overdue, waiting-approval, unassigned or done',
	due: 'today, tomorrow, none, <7d, >2w, a day (2027-01-15) or a month (2027-01)',
	target: 'none, a day, a month or a year, optionally after < or >',
	age: 'time in the current stage, e.g. >5d or <12h',
	updated: 'time since the last change, e.g. >2d or <1w'
} as const;

/** A field of the language. */
export type FilterField = keyof typeof FILTER_FIELDS;

/** The `is:` flags. */
export const IS_FLAGS = ['blocked', 'overdue', 'waiting-approval', 'unassigned', 'done'] as const;

/** One term of a query: a field with a value, or free words (`field` null) matched against title and description. */
export interface FilterTerm {
	field: FilterField | null;
	/** The value as written, without quotes or the comparison sign; for free text, the word or phrase. */
	value: string;
	/** `<`, `>` or `=` (no sign). */
	op: '<' | '>' | '=';
	negated: boolean;
	/** Where the term starts and ends in the text (the `-` included). */
	start: number;
	end: number;
}

/** A mistake in a query, with where it is. */
export interface FilterError {
	message: string;
	start: number;
	end: number;
}

/** The outcome of parsing: the terms, or the first mistake. */
export type ParseResult = { ok: true; terms: FilterTerm[] } | { ok: false; error: FilterError };

const isField = (name: string): name is FilterField => Object.hasOwn(FILTER_FIELDS, name);
const COMPARABLE: ReadonlySet<FilterField> = new Set(['due', 'target', 'age', 'updated']);

/** Reads a quoted string starting at `text[at] === '"'`; returns its content and the index after the closing quote. */
function readQuoted(text: string, at: number): { value: string; next: number } | null {
	const close = text.indexOf('"', at + 1);
	if (close < 0) return null;
	return { value: text.slice(at + 1, close), next: close + 1 };
}

/** Reads up to the next whitespace (a quote inside a bare word is part of it only after a `field:`). */
function readBare(text: string, at: number): { value: string; next: number } {
	let end = at;
	while (end < text.length && !/\s/.test(text[end]!)) end++;
	return { value: text.slice(at, end), next: end };
}

/** Parses a query; an empty or blank text is an empty query (everything matches). */
export function parseFilter(text: string): ParseResult {
	const terms: FilterTerm[] = [];
	let at = 0;
	while (at < text.length) {
		if (/\s/.test(text[at]!)) {
			at++;
			continue;
		}
		const start = at;
		const negated = text[at] === '-' && at + 1 < text.length && !/\s/.test(text[at + 1]!);
		if (negated) at++;
		if (text[at] === '"') {
			const quoted = readQuoted(text, at);
			if (!quoted) return { ok: false, error: { message: 'This quote is never closed.', start: at, end: text.length } };
			at = quoted.next;
			const phrase = quoted.value.trim();
			if (phrase) terms.push({ field: null, value: phrase, op: '=', negated, start, end: at });
			continue;
		}
		const name = /^([a-zA-Z]+):/.exec(text.slice(at));
		if (!name) {
			const word = readBare(text, at);
			at = word.next;
			terms.push({ field: null, value: word.value, op: '=', negated, start, end: at });
			continue;
		}
		const field = name[1]!.toLowerCase();
		if (!isField(field)) {
			return { ok: false, error: { message: `Unknown field “${name[1]}”. Fields: ${Object.keys(FILTER_FIELDS).join(', ')}.`, start, end: at + name[1]!.length + 1 } };
		}
		at += name[0].length;
		let op: FilterTerm['op'] = '=';
		if ((text[at] === '<' || text[at] === '>') && COMPARABLE.has(field)) op = text[at++] as '<' | '>';
		const valueAt = at;
		const read = text[at] === '"' ? readQuoted(text, at) : readBare(text, at);
		if (!read) return { ok: false, error: { message: 'This quote is never closed.', start: at, end: text.length } };
		at = read.next;
		const value = read.value.trim();
		if (!value) return { ok: false, error: { message: `“${field}:” needs a value: ${FILTER_FIELDS[field]}.`, start, end: Math.max(at, valueAt) } };
		terms.push({ field, value, op, negated, start, end: at });
	}
	return { ok: true, terms };
}
