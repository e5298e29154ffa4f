import { percentile } from '../../board/metrics/stats.ts';
import type { TemplateFigures } from '../../board/portfolio.ts';
import type { BoardProcessFigures } from './process-figures.ts';

const DAY = 86_400_000;

/**
 * The process figures per template: the boards created from the same template added up (exits and clean exits, steps
 * planned and on time, cards with a target and late), so each rate is over all their work, not an average of the
 * boards' rates. Boards without a template (or whose template was deleted) are in no row. By name, then id.
 */
export function figuresByTemplate(boards: Iterable<BoardProcessFigures>): TemplateFigures[] {
	const groups = new Map<string, { name: string; boards: BoardProcessFigures[] }>();
	for (const board of boards) {
		if (!board.template) continue;
		const group = groups.get(board.template.id) ?? { name: board.template.name, boards: [] };
		group.boards.push(board);
		groups.set(board.template.id, group);
	}
	const rows = [...groups].map(([templateId, { name, boards: list }]): TemplateFigures => {
		const sum = (pick: (b: BoardProcessFigures) => number) => list.reduce((n, b) => n + pick(b), 0);
		const exits = sum((b) => b.compliance.exits);
		const clean = sum((b) => b.compliance.clean);
		const stepsPlanned = sum((b) => b.steps.planned);
		const stepsOnTime = sum((b) => b.steps.onTime);
		const lateness = list.flatMap((b) => b.missed.lateMs).sort((a, b) => a - b);
		return {
			templateId,
			name,
			boards: list.length,
			exits,
			clean,
			compliance: exits ? clean / exits : null,
			stepsPlanned,
			stepsOnTime,
			stepOnTimeShare: stepsPlanned ? stepsOnTime / stepsPlanned : null,
			withTarget: sum((b) => b.missed.withTarget),
			late: lateness.length,
			lateDaysP50: lateness.length ? percentile(lateness, 50) / DAY : null
		};
	});
	return rows.sort((a, b) => a.name.localeCompare(b.name) || a.templateId.localeCompare(b.templateId));
}
