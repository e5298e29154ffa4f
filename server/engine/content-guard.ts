import * as Y from 'yjs';
import { LABEL_COLORS } from '../../src/lib/board/defaults.ts';
import { LIMITS, isCalendarDate } from '../../src/lib/board/limits.ts';
import { boardContent as content, fits } from '../../src/lib/board/content-schemas.ts';
import { POLICY, originKind } from '../../src/lib/board/doc/origins.ts';
import { boardMaps, mapAt, splitCardKey } from '../../src/lib/board/doc/schema.ts';
import { isBlocker } from '../../src/lib/board/doc/shape.ts';

/** A socket's write the content guard undid, and why (told to whoever made it). */
export interface ContentRefusal {
	origin: unknown;
	cardId: string;
	message: string;
}

/** A changed key of a map: whether it is new, and what it held before. */
type KeyChange = { action: 'add' | 'update' | 'delete'; oldValue: unknown };

/** What one socket transaction touched, gathered from the observers. */
interface Touched {
	tx: Y.Transaction;
	/** Per card: 'new', or its changed fields. */
	cards: Map<string, 'new' | Map<string, KeyChange>>;
	/** Per stage: 'new', or its changed fields (exit criteria count as the field `exitCriteria`). */
	stages: Map<string, 'new' | Map<string, KeyChange>>;
	checklistKeys: Set<string>;
	/** Checklist items whose text changed, with the text before. */
	checklistTexts: Map<string, KeyChange>;
	ownerKeys: Set<string>;
	descriptions: Set<string>;
	stepDueKeys: Set<string>;
}

const MAX = LIMITS;
const tooLong = (what: string, max: number) => `${what} can be at most ${max} characters; that change was undone.`;

/**
 * The server's check of what a board may hold (src/lib/board/limits.ts), after the shape guard made sure every
 * value has the right type. After each transaction from a socket it checks the entries that transaction touched —
 * titles, labels and their colours, due dates, blocking reasons, descriptions, checklists, owners, stages and
 * their exit criteria, the shape of keys — and undoes what a well-behaved client could not have written, in a
 * transaction of its own right after (origin `policy`, like the policy net), sent out merged with the socket's
 * update. The sender is told why. Returns a function that detaches it.
 */
export function guardContent(doc: Y.Doc, onRefused: (refusal: ContentRefusal) => void, log: (message: string, err: unknown) => void): () => void {
	const { cards, stages, checklists, owners, descriptions, stepDues } = boardMaps(doc);
	let touched: Touched | null = null;
	const gather = (tx: Y.Transaction): Touched | null => {
		if (originKind(tx.origin) !== 'remote') return null;
		if (touched?.tx !== tx) touched = { tx, cards: new Map(), stages: new Map(), checklistKeys: new Set(), checklistTexts: new Map(), ownerKeys: new Set(), descriptions: new Set(), stepDueKeys: new Set() };
		return touched;
	};
	/** Records the changed keys of a root map's entry (path [id]) or the entries added to the root itself. */
	const collect = (into: Map<string, 'new' | Map<string, KeyChange>>, root: Y.Map<unknown>, events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
		for (const event of events) {
			if (event.target === root) {
				for (const [id, change] of (event as Y.YMapEvent<unknown>).keys) if (change.action !== 'delete') into.set(id, 'new');
				continue;
			}
			const id = String(event.path[0] ?? '');
			const entry = into.get(id) ?? new Map<string, KeyChange>();
			if (entry === 'new') continue;
			if (event.path.length === 1 && event.target instanceof Y.Map) {
				for (const [key, change] of (event as Y.YMapEvent<unknown>).keys) if (!entry.has(key)) entry.set(key, { action: change.action, oldValue: change.oldValue });
			} else entry.set(String(event.path[1] ?? ''), { action: 'update', oldValue: undefined });
			into.set(id, entry);
		}
	};
	const onCards = (events: Y.YEvent<Y.AbstractType<unknown>>[], tx: Y.Transaction) => {
		const into = gather(tx);
		if (into) collect(into.cards, cards, events);
	};
	const onStages = (events: Y.YEvent<Y.AbstractType<unknown>>[], tx: Y.Transaction) => {
		const into = gather(tx);
		if (into) collect(into.stages, stages, events);
	};
	const onChecklists = (events: Y.YEvent<Y.AbstractType<unknown>>[], tx: Y.Transaction) => {
		const into = gather(tx);
		if (!into) return;
		for (const event of events) {
			if (event.target === checklists) {
				for (const [key, change] of (event as Y.YMapEvent<unknown>).keys) if (change.action !== 'delete') into.checklistKeys.add(key);
			} else if (event.path.length === 1) {
				const text = (event as Y.YMapEvent<unknown>).keys.get('text');
				if (text) into.checklistTexts.set(String(event.path[0]), { action: text.action, oldValue: text.oldValue });
			}
		}
	};
	const onOwners = (event: Y.YMapEvent<unknown>, tx: Y.Transaction) => {
		const into = gather(tx);
		if (into) for (const [key, change] of event.keys) if (change.action !== 'delete') into.ownerKeys.add(key);
	};
	const onStepDues = (event: Y.YMapEvent<unknown>, tx: Y.Transaction) => {
		const into = gather(tx);
		if (into) for (const [key, change] of event.keys) if (change.action !== 'delete') into.stepDueKeys.add(key);
	};
	const onDescriptions = (events: Y.YEvent<Y.AbstractType<unknown>>[], tx: Y.Transaction) => {
		const into = gather(tx);
		if (!into) return;
		for (const event of events) {
			if (event.target === descriptions) for (const key of (event as Y.YMapEvent<unknown>).keys.keys()) into.descriptions.add(key);
			else into.descriptions.add(String(event.path[0] ?? ''));
		}
	};

	const afterTransaction = (tx: Y.Transaction) => {
		if (touched?.tx !== tx) return;
		const seen = touched;
		touched = null;
		try {
			const fixes: (() => void)[] = [];
			const refusals: ContentRefusal[] = [];
			const refuse = (cardId: string, message: string, fix: () => void) => {
				fixes.push(fix);
				refusals.push({ origin: tx.origin, cardId, message });
			};
			checkCards(seen, refuse);
			checkChecklists(seen, refuse);
			checkOwners(seen, refuse);
			checkDescriptions(seen, refuse);
			checkStages(seen, refuse);
			checkStepDues(seen, refuse);
			if (fixes.length === 0) return;
			// Transacting after a transaction queues a separate one right after it.
			doc.transact(() => fixes.forEach((fix) => fix()), POLICY);
			// One notice per card and reason is enough.
			const told = new Set<string>();
			for (const r of refusals) {
				const key = `${r.cardId}\u0000${r.message}`;
				if (!told.has(key)) onRefused(r);
				told.add(key);
			}
		} catch (err) {
			// A bug here must not turn into a refused client frame; the edit stays and we hear about it.
			log('content check failed', err);
		}
	};

	type Refuse = (cardId: string, message: string, fix: () => void) => void;

	function checkCards(seen: Touched, refuse: Refuse): void {
		for (const [cardId, change] of seen.cards) {
			const card = mapAt(cards, cardId);
			if (!card) continue;
			if (change === 'new' && !fits(content.cards.id, cardId)) {
				refuse('', 'That card id is not one Flowdeck makes; the card was removed.', () => cards.delete(cardId));
				continue;
			}
			const changed = (key: string) => change === 'new' || change.has(key);
			/** Puts a field back as it was, or (new card, or a field that was not there) to `fallback`. */
			const restore = (key: string, fallback: unknown) => () => {
				const before = change === 'new' ? undefined : change.get(key);
				if (before && before.action !== 'add') card.set(key, before.oldValue);
				else if (fallback === undefined) card.delete(key);
				else card.set(key, fallback);
			};
			const title = card.get('title');
			if (changed('title') && typeof title === 'string' && !fits(content.cards.title, title)) {
				const kept = title.trim().slice(0, MAX.shortText) || 'Untitled';
				refuse(cardId, title.trim() === '' ? 'A card title cannot be empty; that change was undone.' : tooLong('A card title', MAX.shortText), restore('title', kept));
			}
			const labelsBefore = change === 'new' ? undefined : change.get('labels')?.oldValue;
			if (changed('labels') && !validLabels(card.get('labels'), labelsBefore)) {
				refuse(cardId, `A card can have at most ${MAX.labelsPerCard} labels, each named in at most ${MAX.labelName} characters with one of the board's colours; that change was undone.`, restore('labels', []));
			}
			const due = card.get('due');
			if (changed('due') && due !== undefined && !fits(content.cards.due, due)) {
				refuse(cardId, 'A due date must be a real calendar date (like 2026-12-31); that change was undone.', restore('due', null));
			}
			const blocked = card.get('blocked');
			if (changed('blocked') && isBlocker(blocked) && !fits(content.cards.blocked, blocked)) {
				refuse(cardId, tooLong('A blocking reason', MAX.shortText), restore('blocked', null));
			}
		}
	}

	function checkChecklists(seen: Touched, refuse: Refuse): void {
		const counts = new Map<string, number>();
		const countOf = (cardId: string) => {
			if (!counts.has(cardId)) {
				let n = 0;
				for (const key of checklists.keys()) if (key.startsWith(`${cardId}/`)) n++;
				counts.set(cardId, n);
			}
			return counts.get(cardId)!;
		};
		for (const key of seen.checklistKeys) {
			const [cardId, itemId] = splitCardKey(key);
			const item = mapAt(checklists, key);
			if (!item) continue;
			const remove = () => checklists.delete(key);
			if (!fits(content.checklists.key, [cardId, itemId]) || item.get('cardId') !== cardId || !cards.has(cardId)) {
				refuse(cardId, 'That checklist item does not belong to a card on this board; it was removed.', remove);
			} else if (countOf(cardId) > MAX.checklistItemsPerCard) {
				counts.set(cardId, countOf(cardId) - 1);
				refuse(cardId, `A card can have at most ${MAX.checklistItemsPerCard} checklist items; the extra ones were removed.`, remove);
			} else if (!fits(content.checklists.text, String(item.get('text') ?? ''))) {
				refuse(cardId, tooLong('A checklist item', MAX.shortText), remove);
			}
		}
		for (const [key, change] of seen.checklistTexts) {
			const item = mapAt(checklists, key);
			if (!item || seen.checklistKeys.has(key)) continue;
			if (!fits(content.checklists.text, String(item.get('text') ?? ''))) refuse(splitCardKey(key)[0], tooLong('A checklist item', MAX.shortText), () => item.set('text', change.oldValue));
		}
	}

	function checkOwners(seen: Touched, refuse: Refuse): void {
		const perCard = new Map<string, number>();
		for (const key of owners.keys()) {
			const cardId = splitCardKey(key)[0];
			perCard.set(cardId, (perCard.get(cardId) ?? 0) + 1);
		}
		for (const key of seen.ownerKeys) {
			const [cardId, userId] = splitCardKey(key);
			const remove = () => owners.delete(key);
			if (!fits(content.owners.key, [cardId, userId]) || owners.get(key) !== userId || !cards.has(cardId)) {
				refuse(cardId, 'That owner entry is not one Flowdeck makes; it was removed.', remove);
			} else if ((perCard.get(cardId) ?? 0) > MAX.ownersPerCard) {
				perCard.set(cardId, perCard.get(cardId)! - 1);
				refuse(cardId, `A card can have at most ${MAX.ownersPerCard} owners; that change was undone.`, remove);
			}
		}
	}

	function checkDescriptions(seen: Touched, refuse: Refuse): void {
		for (const cardId of seen.descriptions) {
			const text = descriptions.get(cardId);
			if (!(text instanceof Y.Text)) continue;
			if (!fits(content.descriptions.id, cardId)) {
				refuse(cardId, 'That description does not belong to a card; it was removed.', () => descriptions.delete(cardId));
			} else if (!fits(content.descriptions.text, text.toString())) {
				// Text cannot be put back as it was without the others' concurrent typing: the excess goes.
				refuse(cardId, tooLong('A description', MAX.description), () => text.delete(MAX.description, text.length - MAX.description));
			}
		}
	}

	function checkStepDues(seen: Touched, refuse: Refuse): void {
		for (const key of seen.stepDueKeys) {
			const [cardId, stageId] = splitCardKey(key);
			if (!cards.has(cardId) || !stages.has(stageId) || !isCalendarDate(stepDues.get(key))) {
				refuse(cardId, 'A step date must be a real calendar date for a card and stage on this board; it was removed.', () => stepDues.delete(key));
			}
		}
	}

	function checkStages(seen: Touched, refuse: Refuse): void {
		let count = stages.size;
		for (const [stageId, change] of seen.stages) {
			const stage = mapAt(stages, stageId);
			if (!stage) continue;
			if (change === 'new' && (!fits(content.stages.id, stageId) || count > MAX.stages)) {
				count--;
				refuse('', `A board can have at most ${MAX.stages} stages; the new stage was removed.`, () => stages.delete(stageId));
				continue;
			}
			const name = stage.get('name');
			if ((change === 'new' || change.has('name')) && typeof name === 'string' && !fits(content.stages.name, name)) {
				const before = change === 'new' ? undefined : change.get('name');
				refuse('', tooLong('A stage name', MAX.shortText), () => stage.set('name', before && before.action !== 'add' ? before.oldValue : name.trim().slice(0, MAX.shortText) || 'Stage'));
			}
			const criteria = stage.get('exitCriteria');
			if ((change === 'new' || change.has('exitCriteria')) && criteria instanceof Y.Array) {
				const list = criteria.toArray() as { text?: unknown }[];
				const tooMany = list.length - MAX.exitCriteriaPerStage;
				if (tooMany > 0) refuse('', `A stage can have at most ${MAX.exitCriteriaPerStage} exit criteria; the extra ones were removed.`, () => criteria.delete(MAX.exitCriteriaPerStage, tooMany));
				list.forEach((c, i) => {
					if (i < MAX.exitCriteriaPerStage && !fits(content.stages.exitCriteria.element, { text: String(c.text ?? '') })) refuse('', tooLong('An exit criterion', MAX.shortText), () => criteria.delete(i, 1));
				});
			}
		}
	}

	cards.observeDeep(onCards);
	stages.observeDeep(onStages);
	checklists.observeDeep(onChecklists);
	owners.observe(onOwners);
	descriptions.observeDeep(onDescriptions);
	stepDues.observe(onStepDues);
	doc.on('afterTransaction', afterTransaction);
	return () => {
		cards.unobserveDeep(onCards);
		stages.unobserveDeep(onStages);
		checklists.unobserveDeep(onChecklists);
		owners.unobserve(onOwners);
		descriptions.unobserveDeep(onDescriptions);
		stepDues.unobserve(onStepDues);
		doc.off('afterTransaction', afterTransaction);
	};
}

/**
 * Whether a card's labels are within the limits and use the board's colours. Labels it had before keep their colour
 * (boards from before the palette was enforced).
 */
function validLabels(value: unknown, before: unknown): boolean {
	if (value === undefined) return true;
	if (!fits(content.cards.labels, value)) return false;
	if (!Array.isArray(value)) return true;
	const key = (l: { name?: unknown; color?: unknown }) => `${String(l.name)}\u0000${String(l.color)}`;
	const had = new Set(Array.isArray(before) ? before.map(key) : []);
	return value.every((l: { name?: unknown; color?: unknown }) => typeof l.name === 'string' && l.name.length <= LIMITS.labelName && (had.has(key(l)) || (LABEL_COLORS as readonly unknown[]).includes(l.color)));
}
