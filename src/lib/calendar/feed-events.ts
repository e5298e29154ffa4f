import type { Day } from '../board/plan/working-days.ts';
import type { BoardProcess, BoardSnapshot, Card, Stage } from '../board/types.ts';
import { cardHref } from '../search/client.ts';
import { calendarItems, matchesFilter, plansOf, type CalendarItem } from './items.ts';

/**
 * What a calendar feed (an iCalendar subscription) says of one board, as plain data: exactly the calendar tab's items —
 * each live card on its target date, each unfinished step on its planned date — as all-day events with stable ids and
 * words a calendar app shows. Pure: the server renders them (src/lib/server/calendar-feeds/ics.ts).
 */

/** One all-day event of a feed. */
export interface FeedEvent {
	/** `<cardId>-target@<host>` or `<cardId>-<stageId>@<host>`: the same event keeps its id, so an update replaces it. */
	uid: string;
	/** The day in the board's time zone (the event covers that whole day). */
	day: Day;
	summary: string;
	description: string;
	/** The card on its board. */
	url: string;
}

/** A board as the feed reads it: its name (as the app lists it), workflow, process and cards (archived ones too). */
export interface FeedBoard {
	id: string;
	name: string;
	stages: Stage[];
	process: BoardProcess;
	cards: Card[];
}

/** Where and for whom the events are made. */
export interface FeedOptions {
	/** The app's origin for links to cards (`https://flowdeck.example`). */
	origin: string;
	now: Date;
	/** Members' names by user id (former members are not named). */
	people: Readonly<Record<string, string>>;
	/** Only this person's items (cards they own, steps that fall to them), as the calendar's "Owner: me"; null: all. */
	ownerId: string | null;
}

// Control characters other than tab and line breaks are not allowed in iCalendar text; a title may hold any.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

/** Text a person typed, fit for an iCalendar TEXT value: line breaks as "\n", other control characters dropped. */
export function feedText(text: string): string {
	return text.replace(/\r\n?/g, '\n').replace(CONTROL, '');
}

/** The words a step event says after its name, by status (as the calendar's markers). */
const STATUS_WORDS = { upcoming: 'due', current: 'due', late: 'late', cannot_fit: 'cannot fit' } as const;

/** The board as the calendar tab's store sees it: its live cards by stage, in board order. */
function snapshotOf(board: FeedBoard): BoardSnapshot {
	const cardsByStage: Record<string, Card[]> = Object.fromEntries(board.stages.map((s) => [s.id, [] as Card[]]));
	const first = board.stages[0]?.id;
	for (const card of board.cards) {
		if (card.archived) continue;
		// As the document's reader does: a card whose stage is gone shows in the first stage.
		(cardsByStage[card.stageId] ?? (first ? cardsByStage[first] : undefined))?.push(card);
	}
	for (const list of Object.values(cardsByStage)) list.sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
	return {
		name: board.name,
		stages: board.stages,
		cardsByStage,
		cards: Object.fromEntries(board.cards.map((c) => [c.id, c])),
		archived: board.cards.filter((c) => c.archived),
		process: board.process,
		laneLimits: {}
	};
}

function names(ids: readonly string[], people: FeedOptions['people']): string {
	return ids.flatMap((id) => (Object.hasOwn(people, id) ? [feedText(people[id]!)] : [])).join(', ');
}

function describe(item: CalendarItem, board: FeedBoard, card: Card, stageNames: Map<string, string>, options: FeedOptions, url: string): string {
	const lines: string[] = [];
	const owners = names(item.ownerIds, options.people);
	const title = feedText(card.title);
	if (item.kind === 'card') {
		lines.push(`Target date of “${title}”.`);
		lines.push(`Stage now: ${feedText(item.stageName)}`);
		lines.push(`Owners: ${owners || 'nobody yet'}`);
	} else {
		lines.push(`Step: ${feedText(item.stageName)} (${STATUS_WORDS[item.status]}) of “${title}”.`);
		lines.push(`Owner: ${owners || 'nobody yet'}${item.role ? ` (${feedText(item.role)})` : ''}`);
		lines.push(`Stage now: ${feedText(stageNames.get(card.stageId) ?? 'a stage')}`);
		if (card.target) lines.push(`Target date: ${card.target.day}`);
	}
	lines.push(`Board: ${feedText(board.name)}`);
	lines.push(url);
	return lines.join('\n');
}

/**
 * The board's feed events: the calendar tab's items for this board (`calendarItems` over the same plans), filtered to
 * one person's when `ownerId` is set, sorted by day then id so the same board always gives the same feed.
 */
export function feedEvents(board: FeedBoard, options: FeedOptions): FeedEvent[] {
	const snapshot = snapshotOf(board);
	const items = calendarItems(snapshot, plansOf(snapshot, options.now));
	const host = new URL(options.origin).host;
	const stageNames = new Map(board.stages.map((s) => [s.id, s.name]));
	const prefix = `${feedText(board.name)}: `;
	const events: FeedEvent[] = [];
	for (const item of items) {
		if (!matchesFilter(item, { ownerId: options.ownerId, role: null })) continue;
		const card = snapshot.cards[item.cardId]!;
		const title = feedText(card.title);
		const url = options.origin + cardHref(board.id, card.id);
		const summary =
			item.kind === 'card'
				? `${prefix}${title} — target date`
				: `${prefix}${title} — ${feedText(item.stageName)} ${STATUS_WORDS[item.status]}${item.role ? ` (${feedText(item.role)})` : ''}`;
		events.push({
			uid: `${card.id}-${item.kind === 'card' ? 'target' : item.stageId}@${host}`,
			day: item.day,
			summary,
			description: describe(item, board, card, stageNames, options, url),
			url
		});
	}
	return events.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0));
}
