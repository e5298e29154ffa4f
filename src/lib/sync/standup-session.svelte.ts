import type { BoardStore } from './board-store.svelte';
import type { StandupChange } from '$lib/board/standup/changes';
import { announcedStandups, facilitatorFocus, type StandupFocus } from '$lib/board/standup/focus';
import { standupOrder, turnsByPerson } from '$lib/board/standup/order';
import type { StandupSummary } from '$lib/board/standup/summary';
import type { FilterError } from '$lib/board/filter/syntax';

/** A standup as the API answers it. */
export interface StandupInfo {
	id: string;
	facilitatorId: string;
	startedAt: string;
	since: string;
	endedAt: string | null;
	/** The filter it walks (null: every card) and the cards that matched when it started. */
	query: string | null;
	cardIds: string[] | null;
}

/** GET /api/boards/<id>/standup. */
export interface StandupViewData {
	running: StandupInfo | null;
	since: string;
	timeZone: string;
	changes: Record<string, StandupChange[]>;
}

/** One stop of the walk: a card, and in by-person mode whose turn it is. */
export interface Step {
	cardId: string;
	personId: string | null;
}

/** How a standup ended, for its facilitator. */
export interface Ended {
	summary: StandupSummary;
	text: string;
	posted: boolean;
}

/** GET /api/boards/<id>/standup/<standupId>/summary: the final summary, or a preview while the standup runs. */
export interface SummaryReading {
	summary: StandupSummary;
	text: string;
	final: boolean;
}

/**
 * The standup page's state: the walk (order frozen when it starts, so cards moved meanwhile do not reshuffle it), the
 * facilitator's steering (shared in their presence) and a follower's view of it. Talks to the standup API; never to
 * Yjs (the live board comes from the BoardStore).
 */
export class StandupSession {
	view = $state.raw<StandupViewData>();
	/** The standup this person runs (null: none, or they follow someone else's). */
	mine = $state.raw<StandupInfo | null>(null);
	mode = $state<'board' | 'person'>('board');
	steps = $state.raw<Step[]>([]);
	index = $state(0);
	phase = $state<'walk' | 'wrapup' | 'ended'>('walk');
	following = $state(true);
	ended = $state.raw<Ended | null>(null);
	problem = $state<string | null>(null);
	busy = $state(false);
	/** When the current speaker's turn started (this browser's clock). */
	turnStartedAt = $state(Date.now());
	/** The filter to start the next standup with (the board's filter language). */
	query = $state('');
	/** The server's objection to `query` when starting, with its place (the page marks it until the text changes). */
	queryRefused = $state.raw<(FilterError & { query: string }) | null>(null);
	/** The summary on screen before or after the end: the facilitator's preview, or what a follower is shown. */
	summaryShown = $state.raw<(SummaryReading & { standupId: string }) | null>(null);
	private seq = 0;
	private refetching: string | null = null;
	private summaryAsked = '';
	/** The filter of the standup being started (the field's, or a taken-over standup's). */
	private starting = '';

	constructor(
		private readonly store: BoardStore,
		private readonly boardId: string,
		initial: StandupViewData,
		private readonly people: readonly string[]
	) {
		this.view = initial;
		// The facilitator reloading their page picks their standup up again.
		if (initial.running?.facilitatorId === store.userId) {
			this.mine = initial.running;
			this.following = false;
		}
	}

	/** The running standup someone else facilitates (what a follower follows). */
	get followed(): StandupInfo | null {
		const running = this.view?.running ?? null;
		return running && !this.mine && running.facilitatorId !== this.store.userId ? running : null;
	}

	/** The facilitator's shared focus, when following. */
	get focus(): StandupFocus | null {
		const f = this.followed;
		return f ? facilitatorFocus(this.store.presence, f.facilitatorId, f.id) : null;
	}

	/** The step on screen: the facilitator's (when following) or this person's own. */
	get current(): Step | null {
		const focus = this.following ? this.focus : null;
		if (focus) return focus.cardId ? { cardId: focus.cardId, personId: focus.personId } : null;
		return this.steps[this.index] ?? null;
	}

	/** The standup walked here (this person's, else the running one): its filter and cards. */
	get walked(): StandupInfo | null {
		return this.mine ?? this.view?.running ?? null;
	}

	/** Builds the walk from the live board as it is now, over the cards the standup's filter matched when it started. */
	buildSteps(mode: 'board' | 'person'): Step[] {
		const snap = this.store.snapshot;
		const since = Date.parse(this.view?.since ?? '');
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a lookup built and dropped here, not reactive state
		const scope = this.walked?.cardIds ? new Set(this.walked.cardIds) : null;
		const cards = Object.values(snap.cards)
			.filter((c) => !c.archived && (!scope || scope.has(c.id)))
			.map((c) => ({ id: c.id, stageId: c.stageId, blocked: c.blocked !== null, movedAt: Date.parse(c.movedAt), owners: c.owners }));
		// Board order within a stage is the snapshot's (rank, id).
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a lookup built and dropped here, not reactive state
		const rankOf = new Map(Object.values(snap.cardsByStage).flatMap((list) => list.map((c, i) => [c.id, i] as const)));
		cards.sort((a, b) => (rankOf.get(a.id) ?? 0) - (rankOf.get(b.id) ?? 0));
		const order = standupOrder(snap.stages, cards, since);
		if (mode === 'board') return order.map((cardId) => ({ cardId, personId: null }));
		return turnsByPerson(order, cards, this.people).flatMap((t) => t.cardIds.map((cardId) => ({ cardId, personId: t.userId })));
	}

	/** Switches between walking the board and walking by person (restarting the walk). */
	setMode(mode: 'board' | 'person'): void {
		this.mode = mode;
		this.steps = this.buildSteps(mode);
		this.index = 0;
		this.phase = 'walk';
		this.turnStartedAt = Date.now();
		this.share();
	}

	/** Starts a standup with this person facilitating, over the cards `query` matches (all of them when it is empty). */
	async start(query = this.query): Promise<void> {
		this.starting = query;
		const res = await this.call('POST', `/api/boards/${this.boardId}/standup`, { q: query });
		if (!res) return;
		this.queryRefused = null;
		this.mine = (res as { standup: StandupInfo }).standup;
		this.view = { ...this.view!, running: this.mine, since: this.mine.since };
		this.ended = null;
		this.summaryShown = null;
		this.following = false;
		this.setMode(this.mode);
		await this.refresh();
	}

	/** → : the next card (after the last: the wrap-up). Followers who follow do not steer. */
	next(): void {
		if (this.following && this.followed) return;
		if (this.phase !== 'walk') return;
		if (this.index < this.steps.length - 1) this.go(this.index + 1);
		else if (this.mine) {
			this.phase = 'wrapup';
			this.share();
			void this.loadSummary(this.mine.id, 'wrapup');
		}
	}

	/** ← : the previous card (from the wrap-up: the last card). */
	back(): void {
		if (this.following && this.followed) return;
		if (this.phase === 'wrapup') {
			this.phase = 'walk';
			this.share();
		} else if (this.phase === 'walk' && this.index > 0) this.go(this.index - 1);
	}

	private go(index: number): void {
		const before = this.steps[this.index]?.personId;
		this.index = index;
		if (this.steps[index]?.personId !== before) this.turnStartedAt = Date.now();
		this.share();
	}

	/** Ends the standup (its facilitator), posting the summary to the board's activity when asked. */
	async end(post: boolean): Promise<void> {
		if (!this.mine) return;
		const res = await this.call('POST', `/api/boards/${this.boardId}/standup/${this.mine.id}/end`, { post });
		if (!res) return;
		const { summary, text } = res as { summary: StandupSummary; text: string };
		this.ended = { summary, text, posted: post };
		this.summaryShown = { standupId: this.mine.id, summary, text, final: true };
		this.phase = 'ended';
		// Followers see the end before this page forgets it runs the standup.
		this.share();
		this.mine = null;
		this.view = { ...this.view!, running: null };
	}

	/** Stops or resumes following the facilitator. */
	setFollowing(on: boolean): void {
		this.following = on;
		if (!on && this.steps.length === 0) this.steps = this.buildSteps('board');
	}

	/** Reads what changed again (the history grows during the standup). */
	async refresh(): Promise<void> {
		const res = await this.call('GET', `/api/boards/${this.boardId}/standup`);
		if (res) this.view = res as StandupViewData;
	}

	/**
	 * Reads standup `standupId`'s summary once per stage of it (`when`: the wrap-up gives a preview, the end the final
	 * one): the facilitator's preview, and what followers see when the facilitator wraps up or ends.
	 */
	async loadSummary(standupId: string, when: 'wrapup' | 'ended'): Promise<void> {
		const key = `${standupId}:${when}`;
		if (this.summaryAsked === key) return;
		this.summaryAsked = key;
		const res = await this.call('GET', `/api/boards/${this.boardId}/standup/${standupId}/summary`);
		// A final summary already shown is never replaced by a preview that arrives late.
		if (res && !(this.summaryShown?.final && this.summaryShown.standupId === standupId)) this.summaryShown = { ...(res as SummaryReading), standupId };
	}

	/** A standup announced in someone's presence that this page does not know yet: learn it from the server. */
	noticeAnnounced(): void {
		const known = this.view?.running?.id;
		const unknown = announcedStandups(this.store.presence).find((id) => id !== known && id !== this.refetching);
		if (!unknown || this.mine) return;
		this.refetching = unknown;
		void this.refresh();
	}

	/** Shares the facilitator's focus with followers (through presence). */
	private share(): void {
		if (!this.mine) return;
		const step = this.phase === 'walk' ? this.steps[this.index] : undefined;
		this.seq++;
		this.store.setPresenceField('standup', { standupId: this.mine.id, cardId: step?.cardId ?? null, mode: this.mode, personId: step?.personId ?? null, phase: this.phase, seq: this.seq });
	}

	private async call(method: 'GET' | 'POST', url: string, body?: unknown): Promise<unknown> {
		this.busy = true;
		this.problem = null;
		try {
			const res = await fetch(url, method === 'GET' ? {} : { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
			const data: unknown = await res.json().catch(() => ({}));
			if (!res.ok) {
				const refusal = data as { message?: string; start?: unknown; end?: unknown };
				// A refused filter is marked in its field, where it can be fixed (a taken-over standup's filter has no field).
				if (typeof refusal.start === 'number' && typeof refusal.end === 'number' && this.starting === this.query) this.queryRefused = { message: refusal.message ?? 'This filter has a mistake.', start: refusal.start, end: refusal.end, query: this.query };
				else this.problem = refusal.message ?? `The server answered ${res.status}.`;
				return null;
			}
			return data;
		} catch {
			this.problem = 'The server could not be reached; nothing changed. Try again.';
			return null;
		} finally {
			this.busy = false;
		}
	}
}
