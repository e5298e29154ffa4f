import * as Y from 'yjs';
import { compareByRank } from '../ranks.ts';
import type { BoardSnapshot, Card, ChecklistItem, ExitCheck, ExitCriterion, Label, Stage, StageKind, WipMode } from '../types.ts';
import { boardMaps } from './schema.ts';

const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);

/** A plain copy of one stage map. */
export function readStage(map: Y.Map<unknown>): Stage {
	const criteria = map.get('exitCriteria');
	const limit = map.get('wipLimit');
	return {
		id: str(map.get('id')),
		name: str(map.get('name'), 'Untitled stage'),
		rank: str(map.get('rank')),
		kind: (str(map.get('kind'), 'queue') as StageKind) ?? 'queue',
		wipLimit: typeof limit === 'number' ? limit : null,
		wipMode: (map.get('wipMode') === 'hard' ? 'hard' : 'soft') as WipMode,
		exitCriteria: criteria instanceof Y.Array ? (criteria.toArray() as ExitCriterion[]) : []
	};
}

/** A plain copy of one card map. */
export function readCard(map: Y.Map<unknown>): Card {
	const description = map.get('description');
	const owners = map.get('owners');
	const checklist = map.get('checklist');
	const exitChecks = map.get('exitChecks');
	const items: ChecklistItem[] = [];
	if (checklist instanceof Y.Map) {
		for (const item of checklist.values() as IterableIterator<Y.Map<unknown>>) {
			items.push({ id: str(item.get('id')), text: str(item.get('text')), done: item.get('done') === true, rank: str(item.get('rank')) });
		}
		items.sort(compareByRank);
	}
	return {
		id: str(map.get('id')),
		title: str(map.get('title'), 'Untitled'),
		description: description instanceof Y.Text ? description.toString() : '',
		stageId: str(map.get('stageId')),
		rank: str(map.get('rank')),
		owners: owners instanceof Y.Array ? [...new Set(owners.toArray() as string[])] : [],
		due: typeof map.get('due') === 'string' ? (map.get('due') as string) : null,
		labels: Array.isArray(map.get('labels')) ? (map.get('labels') as Label[]) : [],
		blocked: (map.get('blocked') as Card['blocked']) ?? null,
		checklist: items,
		exitChecks: exitChecks instanceof Y.Map ? (exitChecks.toJSON() as Record<string, ExitCheck>) : {},
		createdAt: str(map.get('createdAt')),
		createdBy: str(map.get('createdBy')),
		movedAt: str(map.get('movedAt'), str(map.get('createdAt'))),
		movedBy: str(map.get('movedBy'), str(map.get('createdBy'))),
		archived: map.get('archived') === true
	};
}

/** The whole board as plain data: stages in order, live cards grouped by stage in order, archived cards apart. */
export function readSnapshot(doc: Y.Doc, name = ''): BoardSnapshot {
	const { stages, cards } = boardMaps(doc);
	const stageList = [...stages.values()].map(readStage).sort(compareByRank);
	const cardsByStage: Record<string, Card[]> = {};
	for (const stage of stageList) cardsByStage[stage.id] = [];
	const all: Record<string, Card> = {};
	const archived: Card[] = [];
	for (const map of cards.values()) {
		const card = readCard(map);
		all[card.id] = card;
		if (card.archived) archived.push(card);
		// A card whose stage was deleted concurrently is shown in the first stage rather than lost.
		else (cardsByStage[card.stageId] ?? (stageList[0] ? cardsByStage[stageList[0].id] : undefined))?.push(card);
	}
	for (const list of Object.values(cardsByStage)) list.sort(compareByRank);
	// Newest first; ties broken by id so every client lists them in the same order.
	archived.sort((a, b) => (a.movedAt !== b.movedAt ? (a.movedAt < b.movedAt ? 1 : -1) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
	return { name, stages: stageList, cardsByStage, cards: all, archived };
}
