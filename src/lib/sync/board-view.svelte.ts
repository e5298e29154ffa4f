import { cardFacts } from '$lib/board/filter/facts';
import type { FilterContext } from '$lib/board/filter/compile';
import { indexAmongAll } from '$lib/board/filter/placement';
import { laneLimitKey } from '$lib/board/doc/lane-commands';
import { boardLanes, laneOf, type Lane, type LaneContext, type LaneMode } from '$lib/board/lanes';
import type { TileProcess } from '$lib/board/process/tile-plan';
import type { BoardSnapshot, Card } from '$lib/board/types';
import { moveInPreview, type KeyboardMove } from '$lib/components/keyboard-move';
import type { BoardFilterState } from './board-filter.svelte';

/** A lane as the board shows it: its cards per stage, how many it holds, its soft limit and load, whether it is folded. */
export interface LaneView {
	lane: Lane;
	cells: Record<string, Card[]>;
	count: number;
	collapsed: boolean;
	/** The lane's soft WIP limit (cards in active and waiting stages), or null. */
	limit: number | null;
	/** Its cards in active and waiting stages, hidden ones included (what the limit counts). */
	inProgress: number;
}

/** What the view is worked out from; read afresh on every derivation. */
export interface BoardViewInput {
	snapshot: BoardSnapshot;
	userId: string;
	members: Readonly<Record<string, { name: string }>>;
	/** Team role name → holders (the document's mirror, or the page's load before it arrives). */
	teamRoles: Readonly<Record<string, readonly string[]>>;
	filter: BoardFilterState;
	process: TileProcess | null;
	now: Date;
	keyboardMove: KeyboardMove | null;
}

/** Stage kinds whose cards are work in progress for a lane's limit: started and not finished. */
const IN_PROGRESS = new Set(['active', 'wait']);

/**
 * What the board shows, derived from the live snapshot and the person's view: the filter's matches, the cards each
 * column (or lane cell) shows, the lanes, and how a position among shown cards maps to one among all of them.
 */
export class BoardView {
	constructor(private readonly input: () => BoardViewInput) {}

	/** The inputs as they are now (a getter: the deriveds below read it lazily, after construction). */
	private get current(): BoardViewInput {
		return this.input();
	}

	private get snapshot() {
		return this.current.snapshot;
	}

	/** Compiles the filter against the board as it is; the labels are gathered only if a query asks for them. */
	refreshFilter(): void {
		const { snapshot, userId, members, teamRoles, filter, now } = this.current;
		const labels: Iterable<string> = {
			*[Symbol.iterator]() {
				for (const l of snapshot.process.labels) yield l.name;
				for (const card of Object.values(snapshot.cards)) for (const l of card.labels) yield l.name;
			}
		};
		const ctx: FilterContext = { userId, members, stages: snapshot.stages, teamRoles, labels, now };
		filter.refresh(ctx);
	}

	/** The ids of the live cards the filter matches (null: no filter). */
	readonly matchIds = $derived.by(() => {
		const { filter, process, now } = this.current;
		const match = filter.match;
		if (!match) return null;
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- built once per derivation, never mutated after
		const stagesById = new Map(this.snapshot.stages.map((s) => [s.id, s]));
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- built once per derivation, never mutated after
		const ids = new Set<string>();
		for (const list of Object.values(this.snapshot.cardsByStage)) {
			for (const card of list) if (match(cardFacts(card, stagesById, process, now, filter.lastChanged[card.id]))) ids.add(card.id);
		}
		return ids;
	});

	/** How many live (not archived) cards the board holds. */
	readonly liveCount = $derived(Object.values(this.snapshot.cardsByStage).reduce((n, list) => n + list.length, 0));
	/** Whether unmatched cards are hidden rather than faded. */
	readonly hiding = $derived(this.matchIds !== null && this.current.filter.prefs.unmatched === 'hide');

	/** The cards each column shows: all of them, or only the matching ones when the filter hides the rest. */
	readonly shownByStage = $derived.by(() => {
		const matchIds = this.matchIds;
		if (!this.hiding || !matchIds) return this.snapshot.cardsByStage;
		const picked = this.current.keyboardMove?.cardId;
		const shown: Record<string, Card[]> = {};
		for (const [stageId, list] of Object.entries(this.snapshot.cardsByStage)) shown[stageId] = list.filter((c) => matchIds.has(c.id) || c.id === picked);
		return shown;
	});

	/** The person's choice of lanes. */
	readonly laneMode = $derived<LaneMode>(this.current.filter.prefs.lanes);
	/** What lanes are cut from. */
	readonly laneContext = $derived<LaneContext>({ members: this.current.members, teamRoles: this.current.teamRoles, stages: this.snapshot.stages, labels: this.snapshot.process.labels });
	/** Every live card's lane, worked out once per change (empty without lanes). */
	private readonly laneKeys = $derived.by(() => {
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- built once per derivation, never mutated after
		const keys = new Map<string, string>();
		if (this.laneMode === 'none') return keys;
		for (const list of Object.values(this.snapshot.cardsByStage)) for (const card of list) keys.set(card.id, laneOf(card, this.laneMode, this.laneContext));
		return keys;
	});

	/** The lane a card shows in. */
	laneKeyOf(card: Card): string {
		return this.laneKeys.get(card.id) ?? laneOf(card, this.laneMode, this.laneContext);
	}

	/** The lane a keyboard move counts positions in (null: no lanes). */
	readonly movingLane = $derived.by(() => {
		const move = this.current.keyboardMove;
		const card = move ? this.snapshot.cards[move.cardId] : undefined;
		return card && this.laneMode !== 'none' ? this.laneKeyOf(card) : null;
	});

	/** The cards of a stage a position counts among: the shown ones, in one lane when lanes are on. */
	basis(stageId: string, laneKey: string | null): Card[] {
		const shown = this.shownByStage[stageId] ?? [];
		return laneKey === null ? shown : shown.filter((c) => this.laneKeyOf(c) === laneKey);
	}

	/** A position among a stage's shown cards (in a lane), as a position among all its cards: the move lands between the same neighbours. */
	placeAmongAll(cardId: string, stageId: string, shownIndex: number, laneKey: string | null = null): number {
		if (!this.hiding && laneKey === null) return shownIndex;
		return indexAmongAll(this.snapshot.cardsByStage[stageId] ?? [], this.basis(stageId, laneKey), shownIndex, cardId);
	}

	/** The cards each column shows, with a keyboard move previewed at its landing spot. */
	readonly cardsByStage = $derived.by(() => {
		const move = this.current.keyboardMove;
		if (!move) return this.shownByStage;
		// In a lane, the move's index counts the lane's cards; the preview places it among all the shown ones.
		const lane = this.movingLane;
		const index = lane === null ? move.index : indexAmongAll(this.shownByStage[move.stageId] ?? [], this.basis(move.stageId, lane), move.index, move.cardId);
		return moveInPreview(this.shownByStage, { ...move, index });
	});

	/** The lanes in order, each with its cards per stage, counts and limit (empty without lanes). */
	readonly laneViews = $derived.by((): LaneView[] => {
		const mode = this.laneMode;
		if (mode === 'none') return [];
		const { stages, cardsByStage: live, laneLimits } = this.snapshot;
		const collapsed = this.current.filter.prefs.collapsed;
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- built once per derivation, filled here, then read
		const views = new Map<string, LaneView>();
		for (const lane of boardLanes(mode, Object.values(live).flat(), this.laneContext)) {
			const cells = Object.fromEntries(stages.map((s) => [s.id, [] as Card[]]));
			views.set(lane.key, { lane, cells, count: 0, collapsed: collapsed.includes(lane.key), limit: laneLimits[laneLimitKey(mode, lane.key)] ?? null, inProgress: 0 });
		}
		for (const stage of stages) {
			for (const card of this.cardsByStage[stage.id] ?? []) {
				const view = views.get(this.laneKeyOf(card));
				if (!view) continue;
				view.cells[stage.id]!.push(card);
				view.count++;
			}
			// The limit counts every card in the lane, hidden by the filter or not, as a stage's WIP limit does.
			if (IN_PROGRESS.has(stage.kind)) for (const card of live[stage.id] ?? []) if (views.has(this.laneKeyOf(card))) views.get(this.laneKeyOf(card))!.inProgress++;
		}
		return [...views.values()];
	});

	/** Live cards per stage over every lane (what stage WIP limits count). */
	readonly stageCounts = $derived(Object.fromEntries(this.snapshot.stages.map((s) => [s.id, this.snapshot.cardsByStage[s.id]?.length ?? 0])));
}
