import { Accessibility, AutoScroller, DragDropManager, Feedback, PointerSensor } from '@dnd-kit/dom';
import { LastingDragStyles } from './lasting-drag-styles';

/** What the board says to screen readers during a pointer drag (dnd-kit's `announcements` option). */
export type Announcements = NonNullable<NonNullable<Parameters<typeof Accessibility.configure>[0]>['announcements']>;

/**
 * The board's drag-and-drop manager, with its plugins built in the constructor. (Handing plugins to
 * DragDropProvider instead builds dnd-kit's defaults first and only swaps the options in later, which
 * Accessibility ignores: the card-title announcements never took effect.) Not included, on purpose: Cursor and
 * PreventSelection, which add a `* { … }` stylesheet at every drag start and remove it at the drop, restyling the
 * whole board each time; card tiles are unselectable and show the grab cursor themselves instead.
 */
export function createBoardDnd(announcements: Announcements) {
	const plugins = [LastingDragStyles, Accessibility.configure({ announcements }), AutoScroller, Feedback];
	const sensors = [PointerSensor];
	// Give DragDropProvider these same lists too: it sets them again and falls back to the defaults when absent.
	return { manager: new DragDropManager({ plugins, sensors }), plugins, sensors };
}
