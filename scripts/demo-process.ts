// The demo board's process: who owns each step, when it is due before the publishing date, the editors' sign-off, and
// the team template the board comes from. Used by scripts/seed-demo.ts.
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../src/lib/server/db/client.ts';
import { boards } from '../src/lib/server/db/schema/boards.ts';
import { processTemplates } from '../src/lib/server/db/schema/templates.ts';
import { saveTemplate } from '../src/lib/server/templates/templates.ts';
import { templateFromBoard } from '../src/lib/board/templates/from-board.ts';
import type { BoardProcess, Stage, StepSettings } from '../src/lib/board/types.ts';

/** The team template the demo board comes from (a team template: the built-in "Blog post" has other stages). */
export const DEMO_TEMPLATE_NAME = 'Team blog process';
/** The demo board's compliance target, in per cent. */
export const DEMO_COMPLIANCE_TARGET = 90;

/** The content team's roles and who holds them (by teammate index: 0 Maya, 1 Leo, 2 Priya). */
export const DEMO_ROLES: readonly { name: string; holders: readonly number[] }[] = [
	{ name: 'Content strategist', holders: [0] },
	{ name: 'Blog writer', holders: [1, 2] },
	{ name: 'Editor', holders: [0, 2] },
	{ name: 'Graphic designer', holders: [2] },
	{ name: 'Social media manager', holders: [1] }
];

/**
 * Step settings by stage name, in calendar days before the publishing date (the card's target): the outline is due 6
 * days before, the draft 4, the editors' sign-off 2 (changes requested send the post back to Drafting), images the day
 * before, and the post goes out on the day. `stageId` turns a stage name into its id (for the sign-off's destinations).
 */
export function demoSteps(stageId: (name: string) => string): Record<string, StepSettings> {
	const step = (ownerRole: string, offset: number): StepSettings => ({ ownerRole, offset, unit: 'calendar', approval: null });
	return {
		Outline: step('Content strategist', 6),
		Drafting: step('Blog writer', 4),
		Review: {
			...step('Editor', 2),
			approval: { approvers: { userIds: [], role: 'Editor' }, quorum: 1, onChanges: { sendTo: stageId('Drafting') }, onReject: { archive: false, sendTo: stageId('Ideas') } }
		},
		Design: step('Graphic designer', 1),
		Scheduled: step('Social media manager', 0)
	};
}

/**
 * Saves the board's workflow as the team template it comes from (saved by `userId`, or the one they saved by that name
 * on an earlier, interrupted run), and in the same transaction gives the board its template, its compliance target
 * and its real name: the last step of the seed, after which the demo counts as complete.
 */
export async function finishDemoBoard(
	db: Db,
	boardId: string,
	userId: string,
	board: { name: string; stages: Stage[]; process: BoardProcess; teamRoles: string[] },
	at: Date
): Promise<string> {
	return db.transaction(async (tx) => {
		const t = tx as unknown as Db;
		const [saved] = await t
			.select({ id: processTemplates.id })
			.from(processTemplates)
			.where(and(eq(sql`lower(${processTemplates.name})`, DEMO_TEMPLATE_NAME.toLowerCase()), eq(processTemplates.createdBy, userId)));
		const template = templateFromBoard({
			...board,
			name: DEMO_TEMPLATE_NAME,
			description: 'The content team’s blog process: set the publishing day as the card’s target date, and each step is due a fixed number of days before it.'
		});
		const templateId = saved?.id ?? (await saveTemplate(t, userId, template, at));
		await t.update(boards).set({ name: board.name, templateId, complianceTargetPercent: DEMO_COMPLIANCE_TARGET }).where(eq(boards.id, boardId));
		return templateId;
	});
}
