import { LABEL_COLORS } from '../../../board/defaults.ts';
import type { StageKind } from '../../../board/types.ts';

/** A Flowdeck label colour. */
export type LabelColor = (typeof LABEL_COLORS)[number];

/** Trello's label colours (without their `_dark`/`_light` shades) → the nearest colour of Flowdeck's palette. */
const COLOR_MAP: Record<string, LabelColor> = {
	green: 'emerald',
	lime: 'emerald',
	yellow: 'amber',
	orange: 'amber',
	red: 'red',
	purple: 'fuchsia',
	pink: 'fuchsia',
	blue: 'indigo',
	sky: 'sky',
	black: 'slate'
};

/** The Flowdeck colour for a Trello label colour (`green`, `blue_dark`, `sky_light`, … or none: slate). */
export function labelColor(trelloColor: string | null): LabelColor {
	if (!trelloColor) return 'slate';
	return COLOR_MAP[trelloColor.replace(/_(dark|light)$/, '')] ?? 'slate';
}

/** A name for a Trello label that has only a colour (common in Trello; a Flowdeck label needs a name). */
export function colorName(trelloColor: string | null): string {
	if (!trelloColor) return 'Label';
	const words = trelloColor.replace('_', ' ');
	return words.charAt(0).toUpperCase() + words.slice(1);
}

// Checked in order: "Ready for review" is waiting, not a queue; "Done this week" is done.
const KIND_WORDS: [StageKind, RegExp][] = [
	['done', /\b(done|complete[ds]?|published|live|shipped|finished|launched|released|delivered|archived?)\b/i],
	['wait', /\b(review|reviewing|waiting|blocked|on hold|approval|approve|pending|scheduled|qa|feedback|ready)\b/i],
	['queue', /\b(backlog|ideas?|to ?do|todo|inbox|icebox|later|next|planned|requests?|queue|someday|brief(s|ing)?)\b/i],
	['active', /\b(doing|in progress|wip|writing|drafting|draft|design|editing|working|production|progress|build(ing)?)\b/i]
];

/** A sensible stage kind for a Trello list from its name and place: the first list is a queue unless its name says otherwise. */
export function guessKind(name: string, index: number): StageKind {
	for (const [kind, words] of KIND_WORDS) if (words.test(name)) return kind;
	return index === 0 ? 'queue' : 'active';
}

/** The creation time a Trello id carries (ids are MongoDB ObjectIds: the first 4 bytes are seconds since the epoch). */
export function idTime(id: string): number | null {
	if (!/^[0-9a-f]{24}$/i.test(id)) return null;
	const ms = parseInt(id.slice(0, 8), 16) * 1000;
	// Before Trello existed, it is no timestamp.
	return ms >= Date.UTC(2011, 0, 1) ? ms : null;
}

/** The calendar day (YYYY-MM-DD) an instant falls on in a time zone (a Trello due date is an instant; Flowdeck's is a day). */
export function dayIn(instant: string, timeZone: string): string {
	return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(instant));
}
