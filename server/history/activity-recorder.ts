import * as Y from 'yjs';
import { describeStep } from '../../src/lib/board/process/step-summary.ts';
import { boardMaps, mapAt, mapsIn, splitCardKey } from '../../src/lib/board/doc/schema.ts';
import { originKind } from '../../src/lib/board/doc/origins.ts';
import { readStage, readStages } from '../../src/lib/board/doc/snapshot.ts';
import { isLabel } from '../../src/lib/board/doc/shape.ts';
import { clipForHistory } from '../../src/lib/board/limits.ts';
import { compareByRank } from '../../src/lib/board/ranks.ts';
import type { Stage } from '../../src/lib/board/types.ts';
import type { ActivityChange } from '../../src/lib/board/changes.ts';
import type { ActivityData, DocumentActivityKind } from '../../src/lib/board/activity.ts';

/** What a checklist item looked like last (a deleted item's map is emptied by Yjs, so its text is kept here). */
interface KnownItem {
	text: string;
	done: boolean;
}

/**
 * Derives the audit trail's document entries (src/lib/board/activity.ts) from applied transactions: stages added,
 * renamed, moved, deleted, their kind, WIP limit and exit criteria; card titles and labels; checklist items added,
 * reworded, ticked, unticked and removed; description edits (counted per transaction, merged per minute when
 * stored); step due dates set or reset by hand. Stages and checklist items are diffed against what they were before the transaction. Replays, seeds,
 * healing and the policy net's compensations are nobody's doing: they only refresh what is known. Returns `stop`.
 */
export function watchActivity(doc: Y.Doc, push: (change: ActivityChange) => void, actorOf: (origin: unknown) => string | null, now: () => Date): () => void {
	const { stages, cards, checklists, descriptions, stepDues } = boardMaps(doc);
	const knownStages = new Map(readStages(stages).map((s) => [s.id, s]));
	const knownItems = new Map<string, KnownItem>();
	for (const [key, item] of mapsIn(checklists)) knownItems.set(key, readItem(item));

	const ignored = (tr: Y.Transaction) => {
		const kind = originKind(tr.origin);
		return kind === 'load' || kind === 'pubsub' || kind === 'seed' || kind === 'heal' || kind === 'policy';
	};
	const emit = <K extends DocumentActivityKind>(tr: Y.Transaction, type: K, where: { cardId?: string; stageId?: string }, data: ActivityData<K>) =>
		push({ type, actorId: actorOf(tr.origin), at: now(), cardId: where.cardId ?? null, stageId: where.stageId ?? null, data } as ActivityChange);

	const onStages = (events: Y.YEvent<Y.AbstractType<unknown>>[], tr: Y.Transaction) => {
		const touched = new Set<string>();
		for (const event of events) {
			if (event.target === stages) for (const id of (event as Y.YMapEvent<unknown>).keys.keys()) touched.add(id);
			else {
				// A change inside a stage (a field, or its exit criteria): climb to the stage map itself.
				let node: unknown = event.target;
				while (node instanceof Y.AbstractType && node.parent !== stages) node = node.parent;
				if (node instanceof Y.Map) touched.add(String(node.get('id')));
			}
		}
		const before = [...knownStages.values()].sort(compareByRank);
		const after = readStages(stages);
		for (const id of touched) {
			const old = knownStages.get(id);
			const map = mapAt(stages, id);
			const next = map ? readStage(map) : undefined;
			if (next) knownStages.set(id, next);
			else knownStages.delete(id);
			if (!ignored(tr)) diffStage(tr, id, old, next, before, after);
		}
	};

	function diffStage(tr: Y.Transaction, stageId: string, old: Stage | undefined, next: Stage | undefined, before: Stage[], after: Stage[]) {
		const at = { stageId };
		if (!old && !next) return;
		if (!old) return emit(tr, 'stage_added', at, { name: next!.name, kind: next!.kind });
		if (!next) return emit(tr, 'stage_deleted', at, { name: old.name });
		const name = next.name;
		if (old.name !== next.name) emit(tr, 'stage_renamed', at, { from: old.name, to: next.name });
		if (old.rank !== next.rank) {
			const from = before.findIndex((s) => s.id === stageId) + 1;
			const to = after.findIndex((s) => s.id === stageId) + 1;
			if (from !== to) emit(tr, 'stage_moved', at, { name, from, to });
		}
		if (old.kind !== next.kind) emit(tr, 'stage_kind_changed', at, { name, from: old.kind, to: next.kind });
		if (old.wipLimit !== next.wipLimit || old.wipMode !== next.wipMode) {
			emit(tr, 'stage_wip_changed', at, { name, limit: next.wipLimit, previous: old.wipLimit, mode: next.wipMode, previousMode: old.wipMode });
		}
		// Who may sign off, and who owns the work, decide what the process lets through: every change is on record.
		if (JSON.stringify(old.step) !== JSON.stringify(next.step)) emit(tr, 'stage_step_changed', at, { name, from: describeStep(old.step, before), to: describeStep(next.step, after) });
		const oldIds = new Set(old.exitCriteria.map((c) => c.id));
		const newIds = new Set(next.exitCriteria.map((c) => c.id));
		for (const c of next.exitCriteria) if (!oldIds.has(c.id)) emit(tr, 'exit_criterion_added', at, { name, criterionId: c.id, text: c.text });
		for (const c of old.exitCriteria) if (!newIds.has(c.id)) emit(tr, 'exit_criterion_removed', at, { name, criterionId: c.id, text: c.text });
	}

	const onCards = (events: Y.YEvent<Y.AbstractType<unknown>>[], tr: Y.Transaction) => {
		if (ignored(tr)) return;
		for (const event of events) {
			// Only a change inside an existing card's map (a new card's fields are its 'created' event).
			if (event.target === cards || event.path.length !== 1 || !(event.target instanceof Y.Map)) continue;
			const cardId = String(event.path[0]);
			const card = event.target as Y.Map<unknown>;
			for (const [key, change] of (event as Y.YMapEvent<unknown>).keys) {
				if (change.action === 'delete') continue;
				if (key === 'title') {
					const from = typeof change.oldValue === 'string' ? change.oldValue : '';
					const to = card.get('title');
					if (typeof to === 'string' && to !== from) emit(tr, 'title_changed', { cardId }, { from: clipForHistory(from), to: clipForHistory(to) });
				} else if (key === 'labels') {
					const names = (v: unknown) => (Array.isArray(v) ? v.filter(isLabel).map((l) => l.name) : []);
					const was = names(change.oldValue);
					const is = names(card.get('labels'));
					const added = is.filter((n) => !was.includes(n));
					const removed = was.filter((n) => !is.includes(n));
					if (added.length + removed.length > 0 || JSON.stringify(change.oldValue ?? []) !== JSON.stringify(card.get('labels') ?? [])) {
						emit(tr, 'labels_changed', { cardId }, { added, removed, labels: is });
					}
				}
			}
		}
	};

	const onChecklists = (events: Y.YEvent<Y.AbstractType<unknown>>[], tr: Y.Transaction) => {
		const skip = ignored(tr);
		for (const event of events) {
			if (event.target === checklists) {
				for (const [key, change] of (event as Y.YMapEvent<unknown>).keys) {
					const [cardId, itemId] = splitCardKey(key);
					const item = mapAt(checklists, key);
					const known = knownItems.get(key);
					if (item) knownItems.set(key, readItem(item));
					else knownItems.delete(key);
					if (skip) continue;
					if (change.action === 'add' && item) emit(tr, 'checklist_item_added', { cardId }, { itemId, text: readItem(item).text });
					else if (change.action === 'delete' && known) emit(tr, 'checklist_item_removed', { cardId }, { itemId, text: known.text });
				}
				continue;
			}
			if (event.path.length !== 1 || !(event.target instanceof Y.Map)) continue;
			const key = String(event.path[0]);
			const [cardId, itemId] = splitCardKey(key);
			const known = knownItems.get(key) ?? { text: '', done: false };
			const next = readItem(event.target as Y.Map<unknown>);
			knownItems.set(key, next);
			if (skip) continue;
			const keys = (event as Y.YMapEvent<unknown>).keys;
			if (keys.has('text') && next.text !== known.text) emit(tr, 'checklist_item_renamed', { cardId }, { itemId, from: known.text, to: next.text });
			if (keys.has('done') && next.done !== known.done) emit(tr, next.done ? 'checklist_item_ticked' : 'checklist_item_unticked', { cardId }, { itemId, text: next.text });
		}
	};

	const onDescriptions = (events: Y.YEvent<Y.AbstractType<unknown>>[], tr: Y.Transaction) => {
		if (ignored(tr)) return;
		const counts = new Map<string, { inserted: number; deleted: number }>();
		const count = (cardId: string) => counts.get(cardId) ?? counts.set(cardId, { inserted: 0, deleted: 0 }).get(cardId)!;
		for (const event of events) {
			if (event.target === descriptions) {
				// A text created in this transaction carries its first characters (no event of its own).
				for (const [cardId, change] of (event as Y.YMapEvent<unknown>).keys) {
					const text = descriptions.get(cardId);
					if (change.action !== 'delete' && text instanceof Y.Text && text.length > 0) count(cardId).inserted += text.length;
				}
			} else if (event.target instanceof Y.Text && event.path.length === 1) {
				const c = count(String(event.path[0]));
				for (const op of event.delta) {
					if (typeof op.insert === 'string') c.inserted += op.insert.length;
					else if (op.insert !== undefined) c.inserted += 1;
					if (op.delete) c.deleted += op.delete;
				}
			}
		}
		for (const [cardId, c] of counts) if (c.inserted + c.deleted > 0) emit(tr, 'description_edited', { cardId }, { edits: 1, ...c });
	};

	/** A step's due date set by hand or reset to the plan (`cardId/stageId` → YYYY-MM-DD). */
	const onStepDues = (event: Y.YMapEvent<unknown>, tr: Y.Transaction) => {
		if (ignored(tr)) return;
		for (const [key, change] of event.keys) {
			const [cardId, stageId] = splitCardKey(key);
			const value = stepDues.get(key);
			const due = change.action !== 'delete' && typeof value === 'string' ? value : null;
			const previous = typeof change.oldValue === 'string' ? change.oldValue : null;
			if (due !== previous) emit(tr, 'step_due_set', { cardId, stageId }, { stageId, due });
		}
	};

	stages.observeDeep(onStages);
	cards.observeDeep(onCards);
	checklists.observeDeep(onChecklists);
	descriptions.observeDeep(onDescriptions);
	stepDues.observe(onStepDues);
	return () => {
		stepDues.unobserve(onStepDues);
		stages.unobserveDeep(onStages);
		cards.unobserveDeep(onCards);
		checklists.unobserveDeep(onChecklists);
		descriptions.unobserveDeep(onDescriptions);
	};
}

function readItem(item: Y.Map<unknown>): KnownItem {
	const text = item.get('text');
	return { text: typeof text === 'string' ? text : '', done: item.get('done') === true };
}
