import { inArray, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import type { Clock } from '../clock.ts';
import type { BoardDocuments } from '../board-documents.ts';
import { users } from '../db/schema/accounts.ts';
import { boardMembers } from '../db/schema/boards.ts';
import { findBoardAccess, listBoardsForUser } from '../boards/boards.ts';
import { requireRateSlots, type RateLimit } from '../auth/rate-limit.ts';
import { DomainError } from '../errors.ts';
import { feedEvents, type FeedEvent } from '../../calendar/feed-events.ts';
import { feedHash, renderIcs, type FeedCalendar } from './ics.ts';
import { findLiveFeed, recordFetch, type LiveFeed } from './feeds.ts';

/** What reading a feed needs from the running app. */
export interface FeedDeps {
	db: Db;
	clock: Clock;
	documents: Pick<BoardDocuments, 'readBoard'>;
}

/** A feed ready to send: its ETag value, since when it says what it says, and its iCalendar text (made on demand: a 304 needs none). */
export interface FeedFile {
	render(): string;
	etag: string;
	lastModified: Date;
	/** A file name for a browser that downloads it. */
	filename: string;
}

/**
 * Fetches allowed per feed: calendar apps poll every few minutes to every few hours, so 30 in 10 minutes leaves room
 * for several devices on one link and a person trying it out, and stops a client stuck in a loop.
 */
export const FEED_FETCHES: RateLimit = { max: 30, windowMs: 10 * 60_000 };

/** What every unknown, turned-off or no-longer-permitted link answers: nothing tells them apart. */
export const FEED_NOT_FOUND = 'This calendar link does not exist or was turned off.';

/** How many boards of a person's feed are read at once. */
const AT_ONCE = 3;

/** Members' names per board, for the events' "Owner:" lines. */
async function namesByBoard(db: Db, boardIds: readonly string[]): Promise<Map<string, Record<string, string>>> {
	const out = new Map<string, Record<string, string>>(boardIds.map((id) => [id, {}]));
	if (boardIds.length === 0) return out;
	const rows = await db
		.select({ boardId: boardMembers.boardId, userId: users.id, name: users.name })
		.from(boardMembers)
		.innerJoin(users, eq(users.id, boardMembers.userId))
		.where(inArray(boardMembers.boardId, [...boardIds]));
	for (const r of rows) out.get(r.boardId)![r.userId] = r.name;
	return out;
}

/** A board's events, or null when its document cannot be read now (a person's feed then leaves it out). */
async function boardEvents(deps: FeedDeps, board: { id: string; name: string }, people: Record<string, string>, feed: LiveFeed, origin: string, now: Date) {
	let reading;
	try {
		reading = await deps.documents.readBoard(board.id, { kind: 'cards' });
	} catch (err) {
		if (feed.kind === 'person' && (err as Error | null)?.name === 'RoomUnavailableError') return null;
		throw err;
	}
	const events = feedEvents({ id: board.id, name: board.name, stages: reading.stages, process: reading.process, cards: reading.cards }, { origin, now, people, ownerId: feed.kind === 'person' ? feed.userId : null });
	return { events, timeZone: reading.process.timeZone };
}

/**
 * The feed a secret link opens, as it stands now, read with its person's access as of this moment: a board feed whose
 * person left the board is not found, and a person's feed covers only the boards they are on. Each fetch counts
 * against the feed's limit (throttled: a DomainError with the seconds to wait).
 */
export async function readFeed(deps: FeedDeps, secret: string, origin: string): Promise<FeedFile> {
	const { db } = deps;
	const feed = await findLiveFeed(db, secret);
	if (!feed) throw new DomainError('not_found', FEED_NOT_FOUND);
	const now = deps.clock.now();
	await requireRateSlots(db, [{ key: `calendar-feed:${feed.id}`, limit: FEED_FETCHES }], now, (wait) => `This calendar link was fetched too often. Try again in ${wait}.`);

	let calendar: FeedCalendar;
	if (feed.kind === 'board') {
		const access = feed.boardId ? await findBoardAccess(db, feed.boardId, feed.userId) : null;
		if (!access) throw new DomainError('not_found', FEED_NOT_FOUND);
		const people = (await namesByBoard(db, [access.id])).get(access.id)!;
		const read = (await boardEvents(deps, access, people, feed, origin, now))!;
		calendar = { name: `${access.name} · Flowdeck`, description: `Target dates and step due dates on the board ${access.name} (Flowdeck).`, timeZone: read.timeZone, events: read.events };
	} else {
		const boards = await listBoardsForUser(db, feed.userId);
		const names = await namesByBoard(
			db,
			boards.map((b) => b.id)
		);
		const events: FeedEvent[] = [];
		const zones = new Set<string>();
		const queue = [...boards];
		const next = async (): Promise<void> => {
			for (let board = queue.shift(); board !== undefined; board = queue.shift()) {
				const read = await boardEvents(deps, board, names.get(board.id)!, feed, origin, now);
				if (!read) continue;
				events.push(...read.events);
				if (read.events.length > 0) zones.add(read.timeZone);
			}
		};
		await Promise.all(Array.from({ length: Math.min(AT_ONCE, queue.length) }, next));
		events.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0));
		calendar = {
			name: 'My steps · Flowdeck',
			description: 'Your steps and the target dates of your cards, on every Flowdeck board you are on.',
			// One zone for all the events, when they share one; dates are whole days either way.
			timeZone: zones.size === 1 ? [...zones][0]! : null,
			events
		};
	}
	const etag = feedHash(calendar);
	const lastModified = await recordFetch(db, feed.id, etag, now);
	const filename = feed.kind === 'board' ? `${calendar.name.replace(/ · Flowdeck$/, '')}.ics` : 'My steps.ics';
	return { render: () => renderIcs(calendar, lastModified), etag, lastModified, filename };
}
