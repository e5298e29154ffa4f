import * as Y from 'yjs';
import { boardMaps, mapAt, splitCardKey } from '../../src/lib/board/doc/schema.ts';
import { originKind } from '../../src/lib/board/doc/origins.ts';
import { isCardTarget, isHandoff, isStoredSignoff } from '../../src/lib/board/process/step-settings.ts';
import type { StoredDecision } from '../../src/lib/board/types.ts';
import type { NewCardEvent } from './new-card-event.ts';

/** A card event as the process recorder hands it to the recorder (which adds the time and the defaults). */
export type ProcessEvent = Pick<NewCardEvent, 'cardId' | 'type' | 'actorId'> & Partial<Pick<NewCardEvent, 'toStageId' | 'data'>>;

/** Origins whose changes are someone's doing (people, the server acting for them, the process). */
const ACTING = new Set(['remote', 'server', 'automation']);

/**
 * The process's card events (issue 12), derived from applied transactions:
 * - `target_changed` {target, previous}: a card's target date set, moved or cleared (by anyone acting; the server's
 *   restamp of `at` is the policy's and changes no day);
 * - `handed_off` {stageId, role, userId} / `handoff_unstaffed` {stageId, role}: the process's hand-off records,
 *   written with origin `automation` on behalf of whoever moved the card (its actor), marked `via: 'process'`;
 * - `signoff_decided` {stageId, outcome, comment}: a decision added to a card's sign-off through the server command
 *   path (origin `server`; the decider is the actor).
 * Writes to the server-only roots from a socket are undone by the process engine and never recorded here, nor are
 * the policy's own (voided approvals, restamps). Returns `stop`.
 */
export function watchProcessHistory(doc: Y.Doc, push: (event: ProcessEvent) => void, actorOf: (origin: unknown) => string | null): () => void {
	const { cards, handoffs, signoffs } = boardMaps(doc);
	const dayOf = (value: unknown) => (isCardTarget(value) ? value.day : null);

	const onCards = (events: Y.YEvent<Y.AbstractType<unknown>>[], tr: Y.Transaction) => {
		if (!ACTING.has(originKind(tr.origin) ?? '')) return;
		const actorId = actorOf(tr.origin);
		for (const event of events) {
			if (event.target === cards) {
				// A card created with its target date: history knows the first date too.
				for (const [cardId, change] of (event as Y.YMapEvent<unknown>).keys) {
					const target = change.action === 'add' ? dayOf(mapAt(cards, cardId)?.get('target')) : null;
					if (target) push({ cardId, type: 'target_changed', actorId, data: { target, previous: null } });
				}
				continue;
			}
			if (event.path.length !== 1 || !(event.target instanceof Y.Map)) continue;
			const change = (event as Y.YMapEvent<unknown>).keys.get('target');
			if (!change) continue;
			const target = dayOf(event.target.get('target'));
			const previous = dayOf(change.oldValue);
			if (target !== previous) push({ cardId: String(event.path[0]), type: 'target_changed', actorId, data: { target, previous } });
		}
	};

	const onHandoffs = (event: Y.YMapEvent<unknown>, tr: Y.Transaction) => {
		if (originKind(tr.origin) !== 'automation') return;
		for (const [cardId, change] of event.keys) {
			const handoff = change.action === 'delete' ? null : handoffs.get(cardId);
			if (!isHandoff(handoff)) continue;
			const { stageId, role, userId } = handoff;
			const actorId = actorOf(tr.origin);
			if (userId) push({ cardId, type: 'handed_off', actorId, toStageId: stageId, data: { stageId, role, userId, via: 'process' } });
			else push({ cardId, type: 'handoff_unstaffed', actorId, toStageId: stageId, data: { stageId, role, via: 'process' } });
		}
	};

	const onSignoffs = (event: Y.YMapEvent<unknown>, tr: Y.Transaction) => {
		if (originKind(tr.origin) !== 'server') return;
		for (const [key, change] of event.keys) {
			const record = change.action === 'delete' ? null : signoffs.get(key);
			if (!isStoredSignoff(record)) continue;
			const before = isStoredSignoff(change.oldValue) ? change.oldValue.decisions : [];
			const [cardId, stageId] = splitCardKey(key);
			for (const decision of added(before, record.decisions)) {
				push({ cardId, type: 'signoff_decided', actorId: actorOf(tr.origin), toStageId: stageId, data: { stageId, outcome: decision.outcome, comment: decision.comment } });
			}
		}
	};

	cards.observeDeep(onCards);
	handoffs.observe(onHandoffs);
	signoffs.observe(onSignoffs);
	return () => {
		cards.unobserveDeep(onCards);
		handoffs.unobserve(onHandoffs);
		signoffs.unobserve(onSignoffs);
	};
}

/** Decisions in `after` that `before` did not have (the list is append-only, its oldest entries may be dropped). */
function added(before: readonly StoredDecision[], after: readonly StoredDecision[]): StoredDecision[] {
	const key = (d: StoredDecision) => `${d.userId}\u0000${d.at}\u0000${d.outcome}`;
	const known = new Set(before.map(key));
	return after.filter((d) => !known.has(key(d)));
}
