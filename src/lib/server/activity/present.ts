import { inArray } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { users } from '../db/schema/accounts.ts';
import { readStages } from '../history.ts';
import { inChunks } from '../db/batches.ts';
import { activityGroup, type ActivityGroup } from '../../board/activity.ts';
import { actorLabel, describeEntry, entrySentence, SOMEONE_WHO_LEFT, type SentenceNames } from '../../board/activity-sentence.ts';
import { boardActors, cardTitles, encodeCursor, type FeedRow } from './feed.ts';

/** One feed entry as the activity list and the CSV export show it: names, not ids. */
export interface FeedEntry {
	/** The entry's cursor: unique in the board's feed. */
	key: string;
	at: string;
	kind: string;
	group: ActivityGroup;
	actorId: string | null;
	/** Who did it ("Flowdeck" for the server on its own, "Someone who left" for a deleted account). */
	actor: string;
	cardId: string | null;
	/** The card's latest title from history (null for entries about no card). */
	card: string | null;
	/** The predicate after the actor ("moved it from Ready to Backlog"). */
	what: string;
	/** The predicate names its card already (a rename), so lists need not add "on “title”". */
	namesCard: boolean;
	/** The whole sentence, with the card's title when the entry has one. */
	text: string;
}

/** Names of these users (accounts that are gone are missing). */
async function userNames(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
	const names = new Map<string, string>();
	for (const chunk of inChunks([...new Set(ids)], 1000)) {
		for (const u of await db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, chunk))) names.set(u.id, u.name);
	}
	return names;
}

/** Resolves a page of feed rows into sentences with the people's, stages' and cards' names. */
export async function presentFeed(db: Db, boardId: string, rows: readonly FeedRow[]): Promise<FeedEntry[]> {
	const people = rows.flatMap((r) => [r.actorId, typeof r.data.userId === 'string' ? r.data.userId : null]).filter((id): id is string => id !== null);
	const [names, stages, titles] = await Promise.all([
		userNames(db, people),
		readStages(db, boardId),
		cardTitles(
			db,
			boardId,
			rows.flatMap((r) => (r.cardId ? [r.cardId] : []))
		)
	]);
	const stageName = new Map(stages.map((s) => [s.stageId, s.name]));
	const sentenceNames: SentenceNames = {
		person: (id) => names.get(id) ?? SOMEONE_WHO_LEFT,
		stage: (id) => stageName.get(id) ?? 'a deleted stage'
	};
	return rows.map((r) => {
		const { what, namesCard } = describeEntry(r, sentenceNames);
		const actor = actorLabel(r.actorId, sentenceNames);
		const card = r.cardId ? (titles.get(r.cardId) ?? 'a card') : null;
		return {
			key: encodeCursor(r),
			at: r.at.toISOString(),
			kind: r.kind,
			group: activityGroup(r.kind),
			actorId: r.actorId,
			actor,
			cardId: r.cardId,
			card,
			what,
			namesCard,
			text: entrySentence(r, sentenceNames, card)
		};
	});
}

/** Everyone the person filter offers: the board's members and anyone who acted on it, by name. */
export async function feedPeople(db: Db, boardId: string, members: readonly { userId: string; name: string }[]): Promise<{ id: string; name: string }[]> {
	const memberIds = new Set(members.map((m) => m.userId));
	const others = (await boardActors(db, boardId)).filter((id) => !memberIds.has(id));
	const names = await userNames(db, others);
	const former = others.map((id) => ({ id, name: `${names.get(id) ?? SOMEONE_WHO_LEFT} (no longer a member)` }));
	return [...members.map((m) => ({ id: m.userId, name: m.name })), ...former].sort((a, b) => a.name.localeCompare(b.name));
}
