import type { Db } from '../db/client.ts';
import type { BoardProcess, Stage } from '../../board/types.ts';
import { requireBoardAction } from '../boards/boards.ts';
import { listTeamRoles } from '../boards/team-roles.ts';
import { templateFromBoard } from '../../board/templates/from-board.ts';
import { saveTemplate } from './templates.ts';

/** What saving needs from the live board documents (the app context's `documents`, the sync server's RoomRegistry). */
export interface WorkflowReader {
	readBoard(boardId: string, query: { kind: 'workflow' }): Promise<{ stages: Stage[]; process: BoardProcess }>;
}

/**
 * Saves a board's live workflow (stages, step settings, labels, checklist, team role names) as a team template named
 * `name`; owners and editors only. Returns the template's id; refused with every problem (nothing stored) when the board
 * holds something a template may not (see `validateTemplate`) or the name is taken.
 */
export async function saveBoardAsTemplate(
	db: Db,
	documents: WorkflowReader,
	boardId: string,
	userId: string,
	input: { name: string; description: string },
	now: Date = new Date()
): Promise<string> {
	await requireBoardAction(db, boardId, userId, 'edit_content');
	const [workflow, roles] = await Promise.all([documents.readBoard(boardId, { kind: 'workflow' }), listTeamRoles(db, boardId, userId)]);
	const template = templateFromBoard({ name: input.name.trim(), description: input.description.trim(), stages: workflow.stages, process: workflow.process, teamRoles: roles.map((r) => r.name) });
	return saveTemplate(db, userId, template, now);
}
