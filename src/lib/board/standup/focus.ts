/**
 * What a standup's facilitator shares in their presence so that followers see the same card: carried in the
 * awareness state under `standup` (the sync server stamps each state's `user` from the session, so followers can
 * check it is the facilitator's).
 */
export interface StandupFocus {
	standupId: string;
	/** The card in focus (null between cards: the wrap-up, the summary). */
	cardId: string | null;
	mode: 'board' | 'person';
	/** In by-person mode, whose turn it is (null: cards nobody owns). */
	personId: string | null;
	phase: 'walk' | 'wrapup' | 'ended';
	/** Grows with every change, so a facilitator with two tabs open is followed in the one they used last. */
	seq: number;
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const isId = (v: unknown): v is string => typeof v === 'string' && ID.test(v);

/** A focus read from someone's presence, or null when it is not one (anyone can write anything there). */
export function parseFocus(value: unknown): StandupFocus | null {
	if (!value || typeof value !== 'object') return null;
	const v = value as Record<string, unknown>;
	if (!isId(v.standupId) || !(v.cardId === null || isId(v.cardId)) || !(v.personId === null || isId(v.personId))) return null;
	if (v.mode !== 'board' && v.mode !== 'person') return null;
	if (v.phase !== 'walk' && v.phase !== 'wrapup' && v.phase !== 'ended') return null;
	if (typeof v.seq !== 'number' || !Number.isSafeInteger(v.seq)) return null;
	return { standupId: v.standupId, cardId: v.cardId, mode: v.mode, personId: v.personId, phase: v.phase, seq: v.seq };
}

/** A presence state as the awareness protocol carries it. */
interface PresenceLike {
	state: Record<string, unknown>;
}

const userIdOf = (state: Record<string, unknown>): string | null => {
	const user = state.user as { id?: unknown } | undefined;
	return user && typeof user.id === 'string' ? user.id : null;
};

/** The focus the facilitator of `standupId` shares (their latest, across tabs), or null when none is shared. */
export function facilitatorFocus(states: readonly PresenceLike[], facilitatorId: string, standupId: string): StandupFocus | null {
	let best: StandupFocus | null = null;
	for (const { state } of states) {
		if (userIdOf(state) !== facilitatorId) continue;
		const focus = parseFocus(state.standup);
		if (focus && focus.standupId === standupId && (!best || focus.seq > best.seq)) best = focus;
	}
	return best;
}

/** Standup ids anyone on the board announces in their presence (a standup started after this page loaded, say). */
export function announcedStandups(states: readonly PresenceLike[]): string[] {
	const ids = new Set<string>();
	for (const { state } of states) {
		const focus = parseFocus(state.standup);
		if (focus && focus.phase !== 'ended') ids.add(focus.standupId);
	}
	return [...ids];
}
