import { duration, percent, type Column } from './sortable';
import type { BoardCompliance, NamedHandoffLane, PortfolioFigures, TemplateFigures } from '$lib/board/portfolio';

/**
 * A board's row as the portfolio sends it (src/lib/server/portfolio/portfolio.ts); its compliance is missing while the
 * page is still waiting for the process part.
 */
export type PortfolioRow = PortfolioFigures & Partial<BoardCompliance> & { id: string; name: string };

/**
 * The portfolio's columns, in order: one entry per figure.
 * `range` is the page's, so each board links to its stats tab for the same dates.
 */
export function boardColumns(range: { from: string; to: string }): Column<PortfolioRow>[] {
	const dates = new URLSearchParams(range).toString();
	return [
		{ key: 'name', label: 'Board', value: (b) => b.name, href: (b) => `/b/${b.id}/stats?${dates}` },
		{ key: 'throughput', label: 'Finished', title: 'Cards that reached a done stage in the range', value: (b) => b.throughput },
		{
			key: 'onTime',
			label: 'On time',
			title: 'Of the finished cards with a due date, the share finished by it',
			value: (b) => b.onTimeShare,
			format: (b) => (b.withDue ? `${percent(b.onTimeShare)} of ${b.withDue}` : '–')
		},
		{ key: 'automation', label: 'Automated', title: 'Share of the routine work (assignments, moves, due dates, messages) rules and the process did', value: (b) => b.automationShare, format: (b) => percent(b.automationShare) },
		{
			key: 'compliance',
			label: 'Compliance',
			title: 'Clean first attempts out of the stage exits in the range (as the board’s process review counts them), against the board’s target',
			value: (b) => b.compliance ?? null,
			format: (b) => {
				if (b.compliance === undefined) return '…';
				if (b.compliance === null) return '–';
				return `${percent(b.compliance)} of ${b.complianceExits}${b.complianceTarget ? ` (target ${percent(b.complianceTarget)})` : ''}`;
			}
		},
		{ key: 'atRisk', label: 'At risk', title: 'Open cards at risk of missing their target date, or likely to (from the last hourly check)', value: (b) => b.atRisk },
		{ key: 'lead', label: 'Lead time', title: 'Median time from a card’s creation to done', value: (b) => b.leadTimeP50, format: (b) => duration(b.leadTimeP50) }
	];
}

/** The template table's columns: each template's boards taken together. */
export const templateColumns: Column<TemplateFigures>[] = [
	{ key: 'name', label: 'Template', value: (t) => t.name },
	{ key: 'boards', label: 'Boards', title: 'Your boards created from the template', value: (t) => t.boards },
	{ key: 'exits', label: 'Stage exits', title: 'First attempts that left a stage in the range, on those boards', value: (t) => t.exits },
	{ key: 'compliance', label: 'Compliance', title: 'Clean first attempts out of those exits', value: (t) => t.compliance, format: (t) => percent(t.compliance) },
	{
		key: 'stepsOnTime',
		label: 'Steps on time',
		title: 'Of the steps left in the range with a planned day (the card had a target date), the share left on or before it',
		value: (t) => t.stepOnTimeShare,
		format: (t) => (t.stepsPlanned ? `${percent(t.stepOnTimeShare)} of ${t.stepsPlanned}` : '–')
	},
	{
		key: 'late',
		label: 'Late',
		title: 'Cards finished in the range after their target date, out of those with one',
		value: (t) => (t.withTarget ? t.late / t.withTarget : null),
		format: (t) => (t.withTarget ? `${t.late} of ${t.withTarget}` : '–')
	},
	{ key: 'lateness', label: 'Median lateness', title: 'How late the late cards were: the median', value: (t) => t.lateDaysP50, format: (t) => (t.lateDaysP50 === null ? '–' : `${t.lateDaysP50.toFixed(1)} d`) }
];

/** The hand-off table's columns: the lane, how many, and how fast the receiving team picked them up and finished them. */
export const handoffColumns: Column<NamedHandoffLane>[] = [
	{ key: 'lane', label: 'From → to', value: (h) => `${h.fromBoard} → ${h.toBoard}` },
	{ key: 'handedOff', label: 'Handed off', title: 'Linked cards rules created on the receiving board in the range', value: (h) => h.handedOff },
	{ key: 'pickedUp', label: 'Picked up', title: 'Moved on or given an owner by someone on the receiving board', value: (h) => h.pickedUp, format: (h) => `${h.pickedUp} of ${h.handedOff}` },
	{ key: 'pickup', label: 'To pick-up', title: 'Time from the hand-off to the pick-up: median (85th percentile)', value: (h) => h.pickupP50, format: (h) => spread(h.pickupP50, h.pickupP85) },
	{ key: 'done', label: 'Done', value: (h) => h.done, format: (h) => `${h.done} of ${h.handedOff}` },
	{ key: 'toDone', label: 'To done', title: 'Time from the hand-off to done on the receiving board: median (85th percentile)', value: (h) => h.doneP50, format: (h) => spread(h.doneP50, h.doneP85) }
];

/** A median with its 85th percentile in brackets. */
const spread = (p50: number | null, p85: number | null) => (p50 === null ? '–' : `${duration(p50)} (${duration(p85)})`);
