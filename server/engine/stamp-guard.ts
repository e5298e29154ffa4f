import * as Y from 'yjs';
import { boardMaps, mapAt } from '../../src/lib/board/doc/schema.ts';
import { POLICY, actorOfOrigin, originKind } from '../../src/lib/board/doc/origins.ts';
import { isBlocker, isExitCheck } from '../../src/lib/board/doc/shape.ts';

/** What one socket transaction signed off or blocked, and as whom. */
interface Signed {
	tx: Y.Transaction;
	userId: string;
	exitChecks: Set<string>;
	blockedCards: Set<string>;
}

/**
 * Who signed off and when is the server's to say. After each transaction from a socket, every exit check it wrote
 * (`{ by, at }`) and every block it set (`{ reason, by, at }`) is rewritten with the socket's user and the server's
 * clock, in a transaction of its own right after (origin `policy`: neither history nor the policy net counts it
 * again). It goes out merged with the socket's update, so a forged name or time is never shown to anyone and never
 * stored as the last word. Returns a function that detaches it.
 */
export function stampSignOffs(doc: Y.Doc, now: () => Date): () => void {
	const { cards, exitChecks } = boardMaps(doc);
	let signed: Signed | null = null;
	const gather = (tx: Y.Transaction): Signed | null => {
		if (originKind(tx.origin) !== 'remote') return null;
		const userId = actorOfOrigin(tx.origin);
		if (userId === null) return null;
		if (signed?.tx !== tx) signed = { tx, userId, exitChecks: new Set(), blockedCards: new Set() };
		return signed;
	};
	const onExitChecks = (event: Y.YMapEvent<unknown>, tx: Y.Transaction) => {
		const into = gather(tx);
		if (!into) return;
		for (const [key, change] of event.keys) if (change.action !== 'delete') into.exitChecks.add(key);
	};
	const onCards = (events: Y.YEvent<Y.AbstractType<unknown>>[], tx: Y.Transaction) => {
		const into = gather(tx);
		if (!into) return;
		for (const event of events) {
			// A key set inside one card's map: its path from `cards` is [cardId].
			if (event.path.length === 1 && (event as Y.YMapEvent<unknown>).keys?.has('blocked')) into.blockedCards.add(String(event.path[0]));
		}
	};
	const afterTransaction = (tx: Y.Transaction) => {
		if (signed?.tx !== tx) return;
		const { userId, exitChecks: checked, blockedCards } = signed;
		signed = null;
		const at = now().toISOString();
		// Transacting after a transaction queues a separate one right after it.
		doc.transact(() => {
			for (const key of checked) {
				if (isExitCheck(exitChecks.get(key))) exitChecks.set(key, { by: userId, at });
			}
			for (const cardId of blockedCards) {
				const card = mapAt(cards, cardId);
				const blocked = card?.get('blocked');
				if (card && isBlocker(blocked)) card.set('blocked', { reason: blocked.reason, by: userId, at });
			}
		}, POLICY);
	};
	exitChecks.observe(onExitChecks);
	cards.observeDeep(onCards);
	doc.on('afterTransaction', afterTransaction);
	return () => {
		exitChecks.unobserve(onExitChecks);
		cards.unobserveDeep(onCards);
		doc.off('afterTransaction', afterTransaction);
	};
}
