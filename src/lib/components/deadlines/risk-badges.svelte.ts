import { getContext, setContext } from 'svelte';
import type { RiskLevel } from '$lib/board/metrics/deadlines/risk';

/** A card's standing against its target date, as a tile shows it. */
export interface TileRisk {
	level: RiskLevel;
	chance: number;
}

/** How often an open board asks again (risk moves with time and with other cards' history, not only with edits). */
const REFRESH_MS = 5 * 60_000;

/** The open board's delivery risk per card, loaded from `GET /api/boards/<id>/process/risk` and refreshed while open. */
export class RiskBadges {
	byCard = $state<Record<string, TileRisk>>({});

	constructor(private readonly boardId: string) {}

	/** Asks the server again; a failed answer keeps the badges shown (they are a hint, never a blocker). */
	async refresh(): Promise<void> {
		try {
			const res = await fetch(`/api/boards/${encodeURIComponent(this.boardId)}/process/risk`, { headers: { accept: 'application/json' } });
			if (!res.ok) return;
			const answer = (await res.json()) as { cards: { cardId: string; level: RiskLevel; chance: number }[] };
			this.byCard = Object.fromEntries(answer.cards.map((c) => [c.cardId, { level: c.level, chance: c.chance }]));
		} catch {
			// Offline: the badges wait for the next refresh.
		}
	}

	/** Loads now and every few minutes; returns the stop function (for onMount). */
	start(): () => void {
		void this.refresh();
		const timer = setInterval(() => void this.refresh(), REFRESH_MS);
		return () => clearInterval(timer);
	}
}

const KEY = Symbol('risk-badges');

/** Gives the board's tiles their risk badges (set by the board page). */
export const setRiskBadges = (badges: RiskBadges): RiskBadges => setContext(KEY, badges);
/** The board's risk badges, or undefined where no page set them (a tile elsewhere shows none). */
export const getRiskBadges = (): RiskBadges | undefined => getContext<RiskBadges | undefined>(KEY);
