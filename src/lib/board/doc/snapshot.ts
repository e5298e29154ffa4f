import { readLaneLimits } from './lane-commands.ts';
import * as Y from 'yjs';
import { compareByRank } from '../ranks.ts';
import type { Blocker, BoardProcess, BoardSnapshot, Card, ChecklistItem, ExitCheck, Handoff, Label, Stage, StoredSignoff, WipMode } from '../types.ts';
import { isCardTarget, isHandoff, isStepSettings, isStoredSignoff, isTimeZone, teamRoleHoldersSchema } from '../process/step-settings.ts';
import { placeOf } from './places.ts';
import { boardMaps, mapsIn, splitCardKey, valuesIn } from './schema.ts';
import { isBlocker, isExitCheck, isExitCriterion, isLabel, isStageKind, isString } from './shape.ts';

const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);

/** A plain copy of one stage map. */
export function readStage(map: Y.Map<unknown>): Stage {
	const criteria = map.get('exitCriteria');
	const limit = map.get('wipLimit');
	const kind = map.get('kind');
	return {
		id: str(map.get('id')),
		name: str(map.get('name'), 'Untitled stage'),
		rank: str(map.get('rank')),
		kind: isStageKind(kind) ? kind : 'queue',
		wipLimit: typeof limit === 'number' && Number.isFinite(limit) ? limit : null,
		wipMode: (map.get('wipMode') === 'hard' ? 'hard' : 'soft') as WipMode,
		exitCriteria: criteria instanceof Y.Array ? (criteria.toArray() as unknown[]).filter(isExitCriterion) : [],
		step: isStepSettings(map.get('step')) ? (map.get('step') as Stage['step']) : null
	};
}

/** A card's many-valued parts, gathered from the per-card root maps. */
export interface CardParts {
	description: string;
	owners: string[];
	checklist: ChecklistItem[];
	exitChecks: Record<string, ExitCheck>;
	stepDues: Record<string, string>;
	signoffs: Record<string, StoredSignoff>;
	handoff: Handoff | null;
}

const emptyParts = (): CardParts => ({ description: '', owners: [], checklist: [], exitChecks: {}, stepDues: {}, signoffs: {}, handoff: null });

const isDay = (v: unknown): v is string => isString(v) && /^\d{4}-\d{2}-\d{2}$/.test(v);

/** Gathers every card's parts in one pass over the per-card root maps. */
export function readAllCardParts(doc: Y.Doc): Map<string, CardParts> {
	const { owners, checklists, exitChecks, descriptions, stepDues, signoffs, handoffs } = boardMaps(doc);
	const parts = new Map<string, CardParts>();
	const of = (cardId: string) => {
		let p = parts.get(cardId);
		if (!p) parts.set(cardId, (p = emptyParts()));
		return p;
	};
	for (const [key, userId] of valuesIn(owners, isString)) of(splitCardKey(key)[0]).owners.push(userId);
	for (const [key, item] of mapsIn(checklists)) of(splitCardKey(key)[0]).checklist.push(readChecklistItem(item));
	for (const [key, check] of valuesIn(exitChecks, isExitCheck)) {
		const [cardId, part] = splitCardKey(key);
		of(cardId).exitChecks[part] = check;
	}
	for (const [cardId, text] of valuesIn(descriptions, isText)) of(cardId).description = text.toString();
	for (const [key, day] of valuesIn(stepDues, isDay)) {
		const [cardId, stageId] = splitCardKey(key);
		of(cardId).stepDues[stageId] = day;
	}
	for (const [key, signoff] of valuesIn(signoffs, isStoredSignoff)) {
		const [cardId, stageId] = splitCardKey(key);
		of(cardId).signoffs[stageId] = signoff;
	}
	for (const [cardId, handoff] of valuesIn(handoffs, isHandoff)) of(cardId).handoff = handoff;
	for (const p of parts.values()) {
		p.owners.sort();
		p.checklist.sort(compareByRank);
	}
	return parts;
}

/** One card's parts (scans the per-card maps; use readAllCardParts for many cards). */
export function readCardParts(doc: Y.Doc, cardId: string): CardParts {
	const { owners, checklists, exitChecks, descriptions, stepDues, signoffs, handoffs } = boardMaps(doc);
	const prefix = `${cardId}/`;
	const parts = emptyParts();
	for (const [key, userId] of valuesIn(owners, isString)) if (key.startsWith(prefix)) parts.owners.push(userId);
	for (const [key, item] of mapsIn(checklists)) if (key.startsWith(prefix)) parts.checklist.push(readChecklistItem(item));
	for (const [key, check] of valuesIn(exitChecks, isExitCheck)) if (key.startsWith(prefix)) parts.exitChecks[key.slice(prefix.length)] = check;
	const text = descriptions.get(cardId);
	parts.description = isText(text) ? text.toString() : '';
	for (const [key, day] of valuesIn(stepDues, isDay)) if (key.startsWith(prefix)) parts.stepDues[key.slice(prefix.length)] = day;
	for (const [key, signoff] of valuesIn(signoffs, isStoredSignoff)) if (key.startsWith(prefix)) parts.signoffs[key.slice(prefix.length)] = signoff;
	const handoff = handoffs.get(cardId);
	parts.handoff = isHandoff(handoff) ? handoff : null;
	parts.owners.sort();
	parts.checklist.sort(compareByRank);
	return parts;
}

/** The board's stages in order (entries that are not stage maps are skipped). */
export function readStages(stages: Y.Map<unknown>): Stage[] {
	return [...mapsIn(stages)].map(([, map]) => readStage(map)).sort(compareByRank);
}

/** An ISO time for ms since the epoch; a time no Date can hold (only a hostile client writes one) reads as the epoch. */
function isoTime(ms: number): string {
	const date = new Date(ms);
	return Number.isNaN(date.getTime()) ? new Date(0).toISOString() : date.toISOString();
}

const isText = (v: unknown): v is Y.Text => v instanceof Y.Text;

/** A card's labels: the well-formed ones of a list (anything else reads as no labels). */
function labelsOf(value: unknown): Label[] {
	return Array.isArray(value) ? (value as unknown[]).filter(isLabel) : [];
}

function readChecklistItem(item: Y.Map<unknown>): ChecklistItem {
	return { id: str(item.get('id')), text: str(item.get('text')), done: item.get('done') === true, rank: str(item.get('rank')) };
}

/** A plain copy of one card: its map, its place, and its parts (looked up in the document unless given). */
export function readCard(doc: Y.Doc, id: string, map: Y.Map<unknown>, parts?: CardParts): Card {
	const p = parts ?? readCardParts(doc, id);
	const place = placeOf(doc, id, map);
	return {
		id,
		title: str(map.get('title'), 'Untitled'),
		description: p.description,
		stageId: place?.stageId ?? '',
		rank: place?.rank ?? '',
		owners: p.owners,
		due: typeof map.get('due') === 'string' ? (map.get('due') as string) : null,
		labels: labelsOf(map.get('labels')),
		blocked: isBlocker(map.get('blocked')) ? (map.get('blocked') as Blocker) : null,
		checklist: p.checklist,
		exitChecks: p.exitChecks,
		movedAt: isoTime(place?.enteredAt ?? 0),
		archived: map.get('archived') === true,
		target: isCardTarget(map.get('target')) ? (map.get('target') as Card['target']) : null,
		stepDues: p.stepDues,
		handoff: p.handoff,
		signoffs: p.signoffs
	};
}

/** The whole board as plain data: stages in order, live cards grouped by stage in order, archived cards apart. */
export function readSnapshot(doc: Y.Doc, name = ''): BoardSnapshot {
	const { stages, cards } = boardMaps(doc);
	const stageList = readStages(stages);
	const cardsByStage: Record<string, Card[]> = {};
	for (const stage of stageList) cardsByStage[stage.id] = [];
	const all: Record<string, Card> = {};
	const archived: Card[] = [];
	const parts = readAllCardParts(doc);
	for (const [id, map] of mapsIn(cards)) {
		const card = readCard(doc, id, map, parts.get(id) ?? emptyParts());
		all[card.id] = card;
		if (card.archived) archived.push(card);
		// A card whose stage was deleted concurrently is shown in the first stage rather than lost.
		else (cardsByStage[card.stageId] ?? (stageList[0] ? cardsByStage[stageList[0].id] : undefined))?.push(card);
	}
	for (const list of Object.values(cardsByStage)) list.sort(compareByRank);
	// Newest first; ties broken by id so every client lists them in the same order.
	archived.sort((a, b) => (a.movedAt !== b.movedAt ? (a.movedAt < b.movedAt ? 1 : -1) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
	return { name, stages: stageList, cardsByStage, cards: all, archived, process: readProcess(doc), laneLimits: readLaneLimits(doc) };
}

/** The time zone a board without one plans in. */
export const DEFAULT_TIME_ZONE = 'UTC';

/** The board's process settings: its time zone, team role holders (server-mirrored), labels and starting checklist. */
export function readProcess(doc: Y.Doc): BoardProcess {
	const { meta, process } = boardMaps(doc);
	const zone = meta.get('timeZone');
	const roles = teamRoleHoldersSchema.safeParse(process.get('teamRoles'));
	const checklist = meta.get('checklist');
	const off = process.get('handoffsOff');
	const handoffsOff = Array.isArray(off) ? (off as unknown[]).filter(isString) : [];
	return {
		timeZone: isTimeZone(zone) ? zone : DEFAULT_TIME_ZONE,
		teamRoles: roles.success ? roles.data : {},
		labels: labelsOf(meta.get('labels')),
		checklist: Array.isArray(checklist) ? (checklist as unknown[]).filter(isString) : [],
		...(handoffsOff.length > 0 ? { handoffsOff } : {})
	};
}
