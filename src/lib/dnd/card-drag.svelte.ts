import { flushSync, tick } from 'svelte';
import type { DragOperation } from '@dnd-kit/abstract';
import type { Draggable, Droppable } from '@dnd-kit/dom';
import { dropSpotIn, type DropSpot } from './drop-spot';

/** Where a card being dragged would land: a stage, a spot in it, and the swimlane when the board shows lanes. */
export interface CardDrop extends DropSpot {
	stageId: string;
	laneKey?: string;
}

type Operation = DragOperation<Draggable, Droppable>;

const sameDrop = (a: CardDrop | null, b: CardDrop | null) =>
	a === b || (!!a && !!b && a.stageId === b.stageId && a.laneKey === b.laneKey && a.index === b.index && a.beforeId === b.beforeId && a.afterId === b.afterId);

/**
 * Pointer dragging of cards, kept cheap on a big board. Registering a dnd-kit sortable per card made mounting a
 * 1,000-card board and starting a drag slow (each one is registered, observed and measured). Instead only the tile
 * under the pointer or in focus is a dnd-kit draggable ("armed"), the columns are the only drop targets, and the
 * insertion point inside a column comes from the rendered tiles' positions (see drop-spot.ts).
 */
export class CardDrag {
	/** The one tile that is a dnd-kit draggable right now. */
	armed = $state.raw<{ id: string; element: HTMLElement } | null>(null);
	/** The card being dragged with the pointer, if any. */
	draggingId = $state<string | null>(null);
	/** Where that card would land if dropped now. */
	drop = $state.raw<CardDrop | null>(null);

	/** Resolves once the last drop's move has been applied and rendered. */
	settled: Promise<void> = Promise.resolve();

	/** `enabled` says whether this person may move cards at all (viewers may not). */
	constructor(private readonly enabled: () => boolean) {}

	/** Makes the card tile an event happened on (if any) the draggable one; never during a drag. */
	arm(target: EventTarget | null): void {
		if (!this.enabled() || this.draggingId) return;
		const element = target instanceof Element ? target.closest<HTMLElement>('[data-card-id]') : null;
		if (!element || element === this.armed?.element) return;
		this.armed = { id: element.dataset.cardId!, element };
	}

	/** Arms the pressed tile synchronously, so dnd-kit's pointer sensor listens on it before the press reaches it. */
	armNow(target: EventTarget | null): void {
		const before = this.armed;
		this.arm(target);
		if (this.armed !== before) flushSync();
	}

	/** The drop spot for an operation's current position: a column under it, and the place among its tiles. */
	spotOf(operation: Operation): CardDrop | null {
		const { source, target } = operation;
		if (!source || source.type !== 'card' || !target || target.type !== 'column' || !target.element) return null;
		// The dragged card's centre, as dnd-kit's own sorting used; the pointer when there is no shape yet.
		const y = operation.shape?.current.center.y ?? operation.position.current.y;
		// A swimlane's cell says its stage and lane in its data; a plain column's id is its stage.
		const cell = target.data as { stageId?: string; laneKey?: string } | undefined;
		const where = cell?.stageId ? { stageId: cell.stageId, laneKey: cell.laneKey } : { stageId: String(target.id) };
		return { ...where, ...dropSpotIn(target.element, y, String(source.id)) };
	}

	/** Follows a move: updates `drop` only when the spot changed, since each change re-renders a column. */
	follow(operation: Operation): CardDrop | null {
		const next = this.spotOf(operation);
		if (!sameDrop(this.drop, next)) this.drop = next;
		return next;
	}

	/** Runs a drop's move in the next task, then renders it; `settled` resolves after that. */
	settle(move: () => void): void {
		this.settled = new Promise((resolve) =>
			setTimeout(() => {
				move();
				void tick().then(resolve);
			}, 0)
		);
	}

	/** Forgets the drag (dropped or cancelled). */
	end(): void {
		this.draggingId = null;
		this.drop = null;
	}
}
