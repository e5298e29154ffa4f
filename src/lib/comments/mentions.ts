/** A board member as a mention can name them. */
export interface MentionMember {
	id: string;
	name: string;
}

/** What a comment's `@` mentions resolved to: members named, and what named nobody (or several) on the board. */
export interface Mentions {
	userIds: string[];
	/** `@words` that match no member, as written. */
	unknown: string[];
	/** `@words` that match more than one member (a shared first name), as written. */
	ambiguous: string[];
}

const WORD = /[\p{L}\p{N}_]/u;
const TOKEN = /^[\p{L}\p{N}_][\p{L}\p{N}_.'-]*/u;

/** Blanks out code (fenced blocks and inline spans) so an `@` in a code sample is never a mention; lengths are kept. */
function withoutCode(body: string): string {
	const blank = (m: string) => m.replace(/[^\n]/g, ' ');
	return body.replace(/```[\s\S]*?(```|$)/g, blank).replace(/`[^`\n]*`/g, blank);
}

const fold = (s: string) => s.toLocaleLowerCase();

/**
 * Finds the `@` mentions in a comment: `@Full Name` (longest member name first, any case), `@First` when one member
 * alone has that first name, or `@FullName` without spaces. An `@` inside a word (an email address) or in code is not
 * a mention.
 */
export function findMentions(body: string, members: readonly MentionMember[]): Mentions {
	const text = withoutCode(body);
	const byLength = [...members].filter((m) => m.name.trim()).sort((a, b) => b.name.length - a.name.length);
	const userIds = new Set<string>();
	const unknown = new Set<string>();
	const ambiguous = new Set<string>();
	for (let i = text.indexOf('@'); i !== -1; i = text.indexOf('@', i + 1)) {
		const before = i > 0 ? text[i - 1]! : ' ';
		if (WORD.test(before) || before === '@' || before === '.' || before === '/') continue;
		const rest = text.slice(i + 1);
		const folded = fold(rest);
		const full = byLength.find((m) => folded.startsWith(fold(m.name)) && !WORD.test(rest[m.name.length] ?? ' '));
		if (full) {
			userIds.add(full.id);
			continue;
		}
		const token = TOKEN.exec(rest)?.[0].replace(/[.'-]+$/, '');
		if (!token) continue;
		const key = fold(token);
		const matches = members.filter((m) => fold(m.name.split(/\s+/)[0] ?? '') === key || fold(m.name.replace(/\s+/g, '')) === key);
		if (matches.length === 1) userIds.add(matches[0]!.id);
		else if (matches.length > 1) ambiguous.add(`@${token}`);
		else unknown.add(`@${token}`);
	}
	return { userIds: [...userIds], unknown: [...unknown], ambiguous: [...ambiguous] };
}

/** The members whose name starts with (or has a word starting with) what was typed after `@`, for suggestions. */
export function suggestMembers(typed: string, members: readonly MentionMember[], limit = 6): MentionMember[] {
	const key = fold(typed.trim());
	return members.filter((m) => fold(m.name).startsWith(key) || fold(m.name).split(/\s+/).some((w) => w.startsWith(key))).slice(0, limit);
}
