const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

/** How urgent a due date is: none, later, due within 48 hours, or overdue. */
export type DueStatus = 'none' | 'later' | 'soon' | 'overdue';

/** Classifies a YYYY-MM-DD due date (end of that day, local time) against `now`. */
export function dueStatus(due: string | null, now: Date): DueStatus {
	if (!due) return 'none';
	const [y, m, d] = due.split('-').map(Number);
	const end = new Date(y!, m! - 1, d!, 23, 59, 59, 999).getTime();
	if (end < now.getTime()) return 'overdue';
	if (end - now.getTime() <= 48 * HOUR) return 'soon';
	return 'later';
}

/** A compact age like "5m", "3h", "2d", "6w" since an ISO time. */
export function shortAge(since: string, now: Date): string {
	const ms = Math.max(0, now.getTime() - Date.parse(since));
	if (!Number.isFinite(ms)) return '';
	if (ms < HOUR) return `${Math.max(1, Math.round(ms / 60000))}m`;
	if (ms < DAY) return `${Math.round(ms / HOUR)}h`;
	if (ms < 14 * DAY) return `${Math.round(ms / DAY)}d`;
	return `${Math.round(ms / (7 * DAY))}w`;
}

const LETTER = /[\p{L}\p{N}]/u;
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The first user-perceived character of a word (an emoji or an accented letter stays whole). */
function firstGrapheme(word: string): string {
	for (const { segment } of graphemes.segment(word)) return segment;
	return '';
}

/**
 * Up to two initials for an avatar: the first letters of the first and the last word ("Mary Ann Smith" → "MS",
 * "Cher" → "C"). Words without a letter or digit (an emoji, a dash) are passed over; a name made only of such
 * words shows its first character, and an empty name "?".
 */
export function initials(name: string): string {
	const words = name.trim().split(/\s+/u).filter(Boolean);
	// Leading punctuation ("(Bob)", "'Ana") is not an initial: start each word at its first letter or digit.
	const letters = words.map((w) => w.slice(w.search(LETTER))).filter((w) => LETTER.test(w));
	if (letters.length === 0) return words.length ? firstGrapheme(words[0]!) : '?';
	const first = firstGrapheme(letters[0]!);
	const last = letters.length > 1 ? firstGrapheme(letters[letters.length - 1]!) : '';
	return (first + last).toLocaleUpperCase();
}

const AVATAR_COLORS = ['#4f46e5', '#0891b2', '#059669', '#d97706', '#dc2626', '#c026d3', '#7c3aed', '#2563eb'];

/** A stable colour for a user id (the same on every screen). */
export function colorFor(id: string): string {
	let h = 0;
	for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) >>> 0;
	return AVATAR_COLORS[h % AVATAR_COLORS.length]!;
}

/** Checklist progress like "3/5", or null when there is no checklist. */
export function checklistProgress(items: readonly { done: boolean }[]): { text: string; complete: boolean } | null {
	if (items.length === 0) return null;
	const done = items.filter((i) => i.done).length;
	return { text: `${done}/${items.length}`, complete: done === items.length };
}
