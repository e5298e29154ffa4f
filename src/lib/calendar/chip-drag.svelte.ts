import type { Day } from '../board/plan/working-days.ts';

/** A card chip being dragged: where the pointer is and the day under it. */
export interface ChipDragState {
	cardId: string;
	title: string;
	fromDay: Day;
	x: number;
	y: number;
	/** The day cell under the pointer (its `data-calendar-day`), or null outside the calendar. */
	overDay: Day | null;
}

/** How far (px) the pointer must travel before a press on a chip becomes a drag rather than a click. */
const DRAG_THRESHOLD = 5;

/**
 * Dragging a card chip onto another day with a mouse or pen (pointer events, no library: a chip only ever lands on a
 * day). Touch is left to the page's scrolling; phones move dates through the "Move" dialog instead. The day under the
 * pointer is found with `elementFromPoint`, so the floating copy of the chip must not take pointer events.
 */
export class ChipDrag {
	/** The drag in progress, or null. */
	state = $state<ChipDragState | null>(null);
	private pending: { pointerId: number; startX: number; startY: number; cardId: string; title: string; fromDay: Day } | null = null;
	private suppressClick = false;
	private readonly stop: (() => void)[] = [];

	/**
	 * @param canDrag whether this person may move target dates now (editors on a writable board)
	 * @param onDrop called once a chip is dropped on another day
	 * @param announce tells screen readers what happened
	 */
	constructor(
		private readonly canDrag: () => boolean,
		private readonly onDrop: (cardId: string, day: Day) => void,
		private readonly announce: (text: string) => void
	) {}

	/** Call from a chip's pointerdown. */
	press(event: PointerEvent, cardId: string, title: string, fromDay: Day): void {
		if (!this.canDrag() || event.button !== 0 || event.pointerType === 'touch' || this.pending) return;
		this.pending = { pointerId: event.pointerId, startX: event.clientX, startY: event.clientY, cardId, title, fromDay };
		const move = (e: PointerEvent) => this.move(e);
		const up = (e: PointerEvent) => this.release(e);
		const cancel = () => this.cancel();
		const key = (e: KeyboardEvent) => {
			if (e.key === 'Escape' && this.state) {
				e.preventDefault();
				this.cancel();
			}
		};
		window.addEventListener('pointermove', move);
		window.addEventListener('pointerup', up);
		window.addEventListener('pointercancel', cancel);
		window.addEventListener('keydown', key, true);
		this.stop.push(
			() => window.removeEventListener('pointermove', move),
			() => window.removeEventListener('pointerup', up),
			() => window.removeEventListener('pointercancel', cancel),
			() => window.removeEventListener('keydown', key, true)
		);
	}

	/** True (once) when the click that follows a drag should not open the card. */
	takeClick(): boolean {
		const suppressed = this.suppressClick;
		this.suppressClick = false;
		return suppressed;
	}

	/** Ends any drag and removes the listeners (on unmount). */
	destroy(): void {
		this.finish();
	}

	private move(e: PointerEvent): void {
		const p = this.pending;
		if (!p || e.pointerId !== p.pointerId) return;
		if (!this.state) {
			if (Math.hypot(e.clientX - p.startX, e.clientY - p.startY) < DRAG_THRESHOLD) return;
			this.announce(`Picked up ${p.title}. Drop it on a day to move its target date; Escape cancels.`);
		}
		e.preventDefault();
		this.state = { cardId: p.cardId, title: p.title, fromDay: p.fromDay, x: e.clientX, y: e.clientY, overDay: dayAt(e.clientX, e.clientY) };
	}

	private release(e: PointerEvent): void {
		const p = this.pending;
		if (!p || e.pointerId !== p.pointerId) return;
		const drag = this.state;
		this.finish();
		if (!drag) return;
		// The button's click fires after pointerup: it must not open the card that was just dropped.
		this.suppressClick = true;
		setTimeout(() => (this.suppressClick = false), 0);
		const day = dayAt(e.clientX, e.clientY);
		if (day && day !== drag.fromDay) this.onDrop(drag.cardId, day);
		else this.announce(`${drag.title} stays on its day.`);
	}

	private cancel(): void {
		const drag = this.state;
		this.finish();
		if (drag) this.announce(`Move of ${drag.title} cancelled.`);
	}

	private finish(): void {
		this.pending = null;
		this.state = null;
		for (const stop of this.stop.splice(0)) stop();
	}
}

/** The calendar day under a point, from the day cell's `data-calendar-day`. */
function dayAt(x: number, y: number): Day | null {
	const cell = document.elementFromPoint(x, y)?.closest<HTMLElement>('[data-calendar-day]');
	return cell?.dataset.calendarDay ?? null;
}
