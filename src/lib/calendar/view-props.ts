import type { Day } from '../board/plan/working-days.ts';
import type { StageColor } from '../board/process/stage-colors.ts';
import type { ChipDrag } from './chip-drag.svelte.ts';
import type { CalendarItem } from './items.ts';
import type { CalendarPeriod } from './period.ts';

/** What a view of the calendar (the grid, the phone's day list) is given to draw a period and let people act on it. */
export interface CalendarViewProps {
	period: CalendarPeriod;
	byDay: Map<Day, CalendarItem[]>;
	today: Day;
	colorOf: (stageId: string) => StageColor;
	canMove: boolean;
	drag: ChipDrag;
	onopen: (cardId: string) => void;
	onmovedialog: (cardId: string) => void;
	onshift: (cardId: string, days: number) => void;
}
