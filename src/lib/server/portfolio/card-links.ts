import type { Db } from '../db/client.ts';
import { cardLinks } from '../db/schema/card-links.ts';

/** A linked card a rule created on another board. */
export interface CardLink {
	fromBoardId: string;
	fromCardId: string;
	toBoardId: string;
	toCardId: string;
	ruleId: string | null;
}

/** Records a cross-team hand-off at the server's time `at` (the rule's linked card was just created). */
export async function recordCardLink(db: Db, link: CardLink, at: Date): Promise<void> {
	await db.insert(cardLinks).values({ ...link, createdAt: at });
}
