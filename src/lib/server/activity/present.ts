import { inArray } from 'drizzle-orm';
import { rules } from '../db/schema/automation.ts';
import type { Db } from '../db/client.ts';
import { users } from '../db/schema/accounts.ts';
import { readStages } from '../history.ts';
import { inChunks } from '../db/batches.ts';
import { activityGroup, type ActivityGroup } from '../../board/activity.ts';
import { describeEntry, entrySentence, SOMEONE_WHO_LEFT, type SentenceNames } from '../../board/activity-sentence.ts';
import { boardActors, cardTitles, encodeCursor, type FeedRow } from './feed.ts';

/** One feed entry as the activity list and the CSV export show it: names, not ids. */
export interface FeedEntry {
	/** The entry's cursor: unique in the board's feed. */
	key: string;
	at: string;
	kind: string;
	group: ActivityGroup;
	actorId: string | null;
	/**
	 * Who the sentence starts with: who did it ("Flowdeck" for the server on its own, "Someone who left" for a
	 * deleted account), or "Process" / "No one" for what the process did by itself (`actorId` is then the mover).
	 */
	actor: string;
	cardId: string | null;
	/** The card's latest title from history (null for entries about no card). */
	card: string | null;
	/** The predicate after the actor ("moved it from Ready to Backlog"). */
	what: string;
	/** The predicate names its card already (a rename), so lists need not add "on “title”". */
	namesCard: boolean;
	/** The whole sentence, with the card's title when the entry has one (and "by rule …" when a rule did it). */
	text: string;
	/** The name of the automation rule that made the change, or null. */
	rule: string | null;
}

/** Names of these rules (deleted rules are missing). */
async function ruleNames(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
	const names = new Map<string, string>();
	if (ids.length === 0) return names;
	for (const r of await db.select({ id: rules.id, name: rules.name }).from(rules).where(inArray(rules.id, [...new Set(ids)]))) names.set(r.id, r.name);
	return names;
}

/** Names of these users (accounts that are gone are missing). */
async function userNames(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
	const names = new Map<string, string>();
	for (const chunk of inChunks([...new Set(ids)], 1000)) {
		for (const u of await db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, chunk))) names.set(u.id, u.name);
	}
	return names;
}

/** Names already resolved, kept across the pages of one export so each person, stage list and card is read once. */
export interface NameCache {
	users: Map<string, string>;
	stages: Map<string, string> | null;
	titles: Map<string, string | null>;
}

/** An empty name cache. */
export const nameCache = (): NameCache => ({ users: new Map(), stages: null, titles: new Map() });

/** Resolves a page of feed rows into sentences with the people's, stages' and cards' names. */
export async function presentFeed(db: Db, boardId: string, rows: readonly FeedRow[], cache: NameCache = nameCache()): Promise<FeedEntry[]> {
	const people = rows.flatMap((r) => [r.actorId, typeof r.data.userId === 'string' ? r.data.userId : null]).filter((id): id is string => id !== null && !cache.users.has(id));
	const cards = [...new Set(rows.flatMap((r) => (r.cardId && !cache.titles.has(r.cardId) ? [r.cardId] : [])))];
	const ruleIds = rows.flatMap((r) => (r.ruleId ? [r.ruleId] : []));
	const [names, stages, titles, ruleName] = await Promise.all([userNames(db, people), cache.stages ? null : readStages(db, boardId), cardTitles(db, boardId, cards), ruleNames(db, ruleIds)]);
	// A miss is remembered too: a deleted account or a card without history is not looked up again.
	for (const id of people) cache.users.set(id, names.get(id) ?? SOMEONE_WHO_LEFT);
	for (const id of cards) cache.titles.set(id, titles.get(id) ?? null);
	if (stages) cache.stages = new Map(stages.map((s) => [s.stageId, s.name]));
	const stageName = cache.stages!;
	const sentenceNames: SentenceNames = {
		person: (id) => cache.users.get(id) ?? SOMEONE_WHO_LEFT,
		stage: (id) => stageName.get(id) ?? 'a deleted stage'
	};
	return rows.map((r) => {
		const card = r.cardId ? (cache.titles.get(r.cardId) ?? 'a card') : null;
		const { subject, what: said, namesCard } = describeEntry(r, sentenceNames, card);
		// History shows what a rule did as the rule's: "Alex added an owner … by rule “Assign the designer”".
		const rule = r.ruleId ? (ruleName.get(r.ruleId) ?? 'a deleted rule') : null;
		const byRule = rule ? ` by rule “${rule}”` : '';
		const what = `${said}${byRule}`;
		return {
			key: encodeCursor(r),
			at: r.at.toISOString(),
			kind: r.kind,
			group: activityGroup(r.kind),
			actorId: r.actorId,
			actor: subject,
			cardId: r.cardId,
			card,
			what,
			namesCard,
			text: `${entrySentence(r, sentenceNames, card)}${byRule}`,
			rule
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
