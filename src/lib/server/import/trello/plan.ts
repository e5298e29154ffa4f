import { LIMITS } from '../../../board/limits.ts';
import type { StageKind } from '../../../board/types.ts';
import { DomainError } from '../../errors.ts';
import { colorName, dayIn, guessKind, idTime, labelColor, type LabelColor } from './mapping.ts';
import { TRELLO_ACTION_CAP, type TrelloExport } from './trello-export.ts';

/** Actions that put a card on the board (its creation here, even when it came from elsewhere). */
const CREATION_TYPES = new Set(['createCard', 'copyCard', 'convertToCardFromCheckItem', 'emailCard', 'moveCardToBoard']);
const MAX_STAGE_NAME = 60;

/** A Trello list as a stage. */
export interface PlannedStage {
	listId: string;
	name: string;
	/** The kind guessed from the list's name (the importer may choose another). */
	kind: StageKind;
	/** Archived in Trello: the stage is made (history passed through it) and its cards come in archived. */
	closed: boolean;
	cards: number;
	archivedCards: number;
}

/** A Trello label as a Flowdeck label. */
export interface PlannedLabel {
	labelId: string;
	name: string;
	trelloColor: string | null;
	color: LabelColor;
	cards: number;
}

/** A Trello member, with the cards they are on. */
export interface PlannedMember {
	memberId: string;
	fullName: string;
	username: string;
	email: string | null;
	cards: number;
}

/** A card's past on the board: when it came, where, and each move (ms since the epoch, oldest first). */
export interface CardHistory {
	createdAt: number;
	createdBy: string | null;
	createdIn: string;
	moves: { at: number; to: string; by: string | null }[];
	archivedAt: number | null;
	/** False when the export lacks the card's creation or its moves do not end in the card's list. */
	complete: boolean;
}

/** A Trello card as it will be created. */
export interface PlannedCard {
	trelloId: string;
	title: string;
	description: string;
	listId: string;
	pos: number;
	due: string | null;
	labels: { name: string; color: LabelColor }[];
	memberIds: string[];
	checklist: { text: string; done: boolean }[];
	archived: boolean;
	history: CardHistory;
}

/** What an import cannot bring over, with how much of it there is. */
export interface Loss {
	what: string;
	count: number;
	detail: string;
}

/** Everything an import will create from one export, decided before anything is written. */
export interface ImportPlan {
	trelloBoardId: string;
	name: string;
	stages: PlannedStage[];
	labels: PlannedLabel[];
	members: PlannedMember[];
	cards: PlannedCard[];
	checklists: number;
	checklistItems: number;
	moves: number;
	actions: number;
	/** First and last moment of the history the export holds (ISO); null for a board without cards. */
	historyFrom: string | null;
	historyTo: string | null;
	/** The export holds Trello's maximum of actions: older history is not in the file. */
	actionsCapped: boolean;
	incompleteHistory: number;
	losses: Loss[];
}

/** Turns a checked export into a plan (pure). Due dates become days in `timeZone`; nothing is dated after `now`. */
export function planImport(board: TrelloExport, timeZone: string, now: number): ImportPlan {
	const lists = [...board.lists].sort((a, b) => a.pos - b.pos);
	if (lists.length === 0) throw new DomainError('invalid_input', 'The Trello board has no lists: there is nothing to import.', 'file');
	if (lists.length > LIMITS.stages) throw new DomainError('invalid_input', `The Trello board has ${lists.length} lists; a Flowdeck board holds at most ${LIMITS.stages} stages. Archive or merge lists in Trello and export again.`, 'file');
	const listIds = new Set(lists.map((l) => l.id));
	const closedLists = new Set(lists.filter((l) => l.closed).map((l) => l.id));
	const labelsById = new Map(board.labels.map((l) => [l.id, { name: clip(l.name.trim() || colorName(l.color), LIMITS.labelName), color: labelColor(l.color) }]));
	const checklistsByCard = groupBy([...board.checklists].sort((a, b) => a.pos - b.pos), (c) => c.idCard);
	const actions = [...board.actions].sort((a, b) => Date.parse(a.date) - Date.parse(b.date));
	const actionsByCard = groupBy(actions.filter((a) => a.data.card?.id), (a) => a.data.card!.id);
	const listClosedAt = new Map<string, number>();
	for (const a of actions) if (a.type === 'updateList' && a.data.old?.closed === false && a.data.list?.id) listClosedAt.set(a.data.list.id, Date.parse(a.date));
	const latest = Math.min(now, Math.max(0, ...actions.map((a) => Date.parse(a.date)), ...board.cards.map((c) => (c.dateLastActivity ? Date.parse(c.dateLastActivity) : 0))));
	const clamp = (t: number) => Math.min(t, now);

	let shortened = 0;
	let checklistsDropped = 0;
	let labelsDropped = 0;
	let items = 0;
	const cards: PlannedCard[] = board.cards.map((card) => {
		const title = card.name.replaceAll('\u0000', '').trim() || 'Untitled card';
		if (title.length > LIMITS.shortText) shortened++;
		const own = checklistsByCard.get(card.id) ?? [];
		const checklist = own.flatMap((list) =>
			[...list.checkItems]
				.sort((a, b) => a.pos - b.pos)
				.filter((item) => item.name.trim() !== '')
				.map((item) => ({ text: clip(own.length > 1 && list.name.trim() ? `${list.name.trim()}: ${item.name.trim()}` : item.name.trim(), LIMITS.shortText), done: item.state === 'complete' }))
		);
		items += Math.min(checklist.length, LIMITS.checklistItemsPerCard);
		checklistsDropped += Math.max(0, checklist.length - LIMITS.checklistItemsPerCard);
		const labels = card.idLabels.flatMap((id) => labelsById.get(id) ?? []);
		labelsDropped += Math.max(0, labels.length - LIMITS.labelsPerCard);
		const links = card.attachments.filter((a) => !a.isUpload && /^https?:\/\//i.test(a.url));
		const linkText = links.length > 0 ? `\n\n**Links from Trello**\n${links.map((a) => `- [${(a.name || a.url).replace(/[[\]]/g, '')}](${a.url})`).join('\n')}` : '';
		const description = `${card.desc}${linkText}`.trim();
		if (description.length > LIMITS.description) shortened++;
		const archived = card.closed || closedLists.has(card.idList);
		return {
			trelloId: card.id,
			title: clip(title, LIMITS.shortText),
			description: clip(description, LIMITS.description),
			listId: card.idList,
			pos: card.pos,
			due: card.due ? dayIn(card.due, timeZone) : null,
			labels: labels.slice(0, LIMITS.labelsPerCard),
			memberIds: card.idMembers,
			checklist: checklist.slice(0, LIMITS.checklistItemsPerCard),
			archived,
			history: cardHistory(card, actionsByCard.get(card.id) ?? [], listIds, archived ? (listClosedAt.get(card.idList) ?? null) : null, latest, clamp)
		};
	});

	const cardsIn = (listId: string, archived: boolean) => cards.filter((c) => c.listId === listId && c.archived === archived).length;
	const stages = lists.map((l, i) => ({ listId: l.id, name: clip(l.name.trim() || 'Untitled list', MAX_STAGE_NAME), kind: guessKind(l.name, i), closed: l.closed, cards: cardsIn(l.id, false), archivedCards: cardsIn(l.id, true) }));
	const labelUse = (id: string) => board.cards.filter((c) => c.idLabels.includes(id)).length;
	const memberUse = (id: string) => board.cards.filter((c) => c.idMembers.includes(id)).length;
	const moves = cards.reduce((n, c) => n + c.history.moves.length, 0);
	const times = cards.flatMap((c) => [c.history.createdAt, ...c.history.moves.map((m) => m.at)]);
	const incompleteHistory = cards.filter((c) => !c.history.complete).length;
	const actionsCapped = board.actions.length >= TRELLO_ACTION_CAP;
	return {
		trelloBoardId: board.id,
		name: clip(board.name.trim() || 'Trello board', 100),
		stages,
		labels: board.labels.map((l) => ({ labelId: l.id, ...labelsById.get(l.id)!, trelloColor: l.color, cards: labelUse(l.id) })),
		members: board.members.map((m) => ({ memberId: m.id, fullName: m.fullName, username: m.username, email: m.email ?? null, cards: memberUse(m.id) })),
		cards,
		checklists: board.checklists.length,
		checklistItems: items,
		moves,
		actions: board.actions.length,
		historyFrom: times.length > 0 ? new Date(Math.min(...times)).toISOString() : null,
		historyTo: times.length > 0 ? new Date(Math.max(...times)).toISOString() : null,
		actionsCapped,
		incompleteHistory,
		losses: losses(board, { actionsCapped, incompleteHistory, shortened, checklistsDropped, labelsDropped })
	};
}

/** A card's creation, moves and archiving from the export's actions (the cut-off past filled in as well as the file allows). */
function cardHistory(
	card: TrelloExport['cards'][number],
	actions: TrelloExport['actions'],
	listIds: Set<string>,
	listClosedAt: number | null,
	latest: number,
	clamp: (t: number) => number
): CardHistory {
	const creation = actions.find((a) => CREATION_TYPES.has(a.type));
	const rawMoves = actions.filter((a) => a.type === 'updateCard' && a.data.listBefore?.id && a.data.listAfter?.id);
	let complete = creation !== undefined;
	const createdAt = clamp(creation ? Date.parse(creation.date) : (idTime(card.id) ?? (actions[0] ? Date.parse(actions[0].date) : latest)));
	const firstList = creation?.data.list?.id ?? rawMoves[0]?.data.listBefore?.id ?? card.idList;
	const createdIn = listIds.has(firstList) ? firstList : card.idList;
	let current = createdIn;
	let last = createdAt;
	const moves: CardHistory['moves'] = [];
	for (const a of rawMoves) {
		const to = a.data.listAfter!.id;
		// A list since moved to another board is not in the export: the move is not either.
		if (!listIds.has(to) || to === current) continue;
		last = Math.max(last, clamp(Date.parse(a.date)));
		moves.push({ at: last, to, by: a.idMemberCreator ?? null });
		current = to;
	}
	if (current !== card.idList) {
		// The moves that brought it here are older than the export keeps: it arrives at the last moment known.
		complete = false;
		last = Math.max(last + 1000, clamp(card.dateLastActivity ? Date.parse(card.dateLastActivity) : latest));
		moves.push({ at: last, to: card.idList, by: null });
	}
	let archivedAt: number | null = null;
	if (card.closed || listClosedAt !== null) {
		const archiving = actions.filter((a) => a.type === 'updateCard' && a.data.old?.closed === false && a.data.card?.closed === true).at(-1);
		archivedAt = Math.max(last, clamp(archiving ? Date.parse(archiving.date) : (listClosedAt ?? (card.dateLastActivity ? Date.parse(card.dateLastActivity) : latest))));
	}
	return { createdAt, createdBy: creation?.idMemberCreator ?? null, createdIn, moves, archivedAt, complete };
}

function losses(
	board: TrelloExport,
	n: { actionsCapped: boolean; incompleteHistory: number; shortened: number; checklistsDropped: number; labelsDropped: number }
): Loss[] {
	const uploads = board.cards.flatMap((c) => c.attachments.filter((a) => a.isUpload));
	const bytes = uploads.reduce((sum, a) => sum + (a.bytes ?? 0), 0);
	const cardPlugins = board.cards.reduce((sum, c) => sum + c.pluginData.length, 0);
	const powerUps = new Set(board.pluginData.map((p) => p.idPlugin ?? '')).size;
	const fieldValues = board.cards.reduce((sum, c) => sum + c.customFieldItems.length, 0);
	const comments = board.actions.filter((a) => a.type === 'commentCard').length;
	const oldest = board.actions.reduce((min, a) => Math.min(min, Date.parse(a.date)), Infinity);
	const all: Loss[] = [
		{ what: 'Power-up data', count: board.pluginData.length + cardPlugins, detail: `settings and data of ${powerUps} power-up${powerUps === 1 ? '' : 's'} on the board and its cards` },
		{ what: 'Custom fields', count: board.customFields.length, detail: `${fieldValues} value${fieldValues === 1 ? '' : 's'} on cards` },
		{ what: 'Files stored at Trello', count: uploads.length, detail: `${(bytes / 1_048_576).toFixed(1)} MB of attachments; links attached to cards are kept in their descriptions` },
		{ what: 'Comments', count: comments, detail: 'comments in the export’s actions' },
		{
			what: 'History beyond the export’s 1,000 actions',
			count: n.actionsCapped ? n.incompleteHistory : 0,
			detail: `Trello keeps only the latest 1,000 actions${Number.isFinite(oldest) ? ` (back to ${new Date(oldest).toISOString().slice(0, 10)})` : ''}: cards whose earlier moves are missing start in their current list`
		},
		{ what: 'Cards with incomplete history', count: n.actionsCapped ? 0 : n.incompleteHistory, detail: 'cards the export holds no creation or last move for: they start where the id dates them, in their current list' },
		{ what: 'Text shortened', count: n.shortened, detail: `titles over ${LIMITS.shortText} or descriptions over ${LIMITS.description.toLocaleString('en')} characters` },
		{ what: 'Checklist items over the limit', count: n.checklistsDropped, detail: `a card holds ${LIMITS.checklistItemsPerCard} items` },
		{ what: 'Labels over the limit', count: n.labelsDropped, detail: `a card holds ${LIMITS.labelsPerCard} labels` },
		{ what: 'Due dates marked complete', count: board.cards.filter((c) => c.due && c.dueComplete).length, detail: 'the date is kept; Flowdeck has no “due date done” mark (the card’s stage says it)' }
	];
	return all.filter((l) => l.count > 0);
}

/** Items by key (Map.groupBy arrived after Node 20). */
function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
	const groups = new Map<string, T[]>();
	for (const item of items) {
		const k = key(item);
		const group = groups.get(k);
		if (group) group.push(item);
		else groups.set(k, [item]);
	}
	return groups;
}

function clip(text: string, max: number): string {
	return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
