import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { cardRiskLevels } from '../db/schema/risk.ts';
import { membersAmong, readBoardNotice } from '../notifications/board-audience.ts';
import type { NotificationInput } from '../notifications/notify.ts';
import type { CardsReading } from '../../../../server/engine/board-reading.ts';
import { deliveryRisk, type CardRisk } from './risk.ts';

/** What the risk check needs from the running app. */
export interface RiskAlertDeps {
	db: Db;
	notify(input: NotificationInput): Promise<number | null>;
}

/** A card whose level changed at this check (`from` null: first seen). */
export interface RiskChange {
	risk: CardRisk;
	from: CardRisk['level'] | null;
	/** Whether people were told (a card first seen on track is not news). */
	told: boolean;
}

const LEVEL_TEXT = { on_track: 'back on track', at_risk: 'at risk', likely_late: 'likely late' } as const;

/**
 * Checks every open card's delivery risk against the level stored at the last check, stores the new levels, and
 * tells each changed card's owners and the process owner (members only) once per change of level: the notification's
 * key names the card, the level and the time of the check, so a retried job sends nothing twice. A card first seen on
 * track is stored silently; cards that finished, were archived or lost their target date are forgotten.
 */
export async function checkRiskLevels(deps: RiskAlertDeps, boardId: string, board: Pick<CardsReading, 'stages' | 'process' | 'cards'>, now: Date): Promise<RiskChange[]> {
	const risks = await deliveryRisk(deps.db, boardId, now, board);
	const stored = new Map((await deps.db.select().from(cardRiskLevels).where(eq(cardRiskLevels.boardId, boardId))).map((r) => [r.cardId, r.level as CardRisk['level']]));
	const changes: RiskChange[] = [];
	for (const risk of risks) {
		const from = stored.get(risk.cardId) ?? null;
		if (from !== risk.level) changes.push({ risk, from, told: from !== null || risk.level !== 'on_track' });
	}
	const gone = [...stored.keys()].filter((cardId) => !risks.some((r) => r.cardId === cardId));
	if (gone.length > 0) await deps.db.delete(cardRiskLevels).where(and(eq(cardRiskLevels.boardId, boardId), inArray(cardRiskLevels.cardId, gone)));
	const notice = changes.some((c) => c.told) ? await readBoardNotice(deps.db, boardId) : null;
	for (const change of changes) {
		const { risk } = change;
		const row = { boardId, cardId: risk.cardId, level: risk.level, chance: risk.chance, changedAt: now };
		await deps.db.insert(cardRiskLevels).values(row).onConflictDoUpdate({ target: [cardRiskLevels.boardId, cardRiskLevels.cardId], set: { level: row.level, chance: row.chance, changedAt: now } });
		if (!change.told || !notice) continue;
		const people = await membersAmong(deps.db, boardId, [...risk.owners, ...notice.processOwners]);
		const chance = `${Math.round(risk.chance * 100)} % chance of being done by ${risk.target}`;
		for (const userId of people) {
			await deps.notify({
				userId,
				kind: 'delivery_risk',
				title: `“${risk.title}” on ${notice.name} is ${LEVEL_TEXT[risk.level]} (${chance})`,
				body: change.from ? `It was ${LEVEL_TEXT[change.from].replace('back on track', 'on track')}; it is in ${risk.stageName}.` : `It is in ${risk.stageName}.`,
				boardId,
				cardId: risk.cardId,
				data: { cardId: risk.cardId, cardTitle: risk.title, level: risk.level, previous: change.from, chance: risk.chance, target: risk.target },
				ruleId: 'process',
				key: `delivery_risk:${risk.cardId}:${risk.level}:${now.toISOString()}`
			});
		}
	}
	return changes;
}
