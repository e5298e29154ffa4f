import { createHash } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { boardMembers, boards } from '../../db/schema/boards.ts';
import { trelloImports } from '../../db/schema/trello-imports.ts';
import { DomainError } from '../../errors.ts';
import { newId } from '../../ids.ts';
import { listCollaborators, type Collaborator } from '../../templates/new-board.ts';
import type { StageKind } from '../../../board/types.ts';
import { buildBoard } from './build.ts';
import { planImport, type ImportPlan, type Loss, type PlannedLabel, type PlannedStage } from './plan.ts';
import { parseTrelloExport } from './trello-export.ts';
import { writeImportedBoard } from './write.ts';

/** An uploaded export, read and checked: its plan and its fingerprint. */
export interface TrelloUpload {
	plan: ImportPlan;
	fileHash: string;
}

/** A Trello member and the Flowdeck person they are taken for (null: nobody; their cards come without them). */
export interface MemberMatch {
	memberId: string;
	fullName: string;
	username: string;
	cards: number;
	userId: string | null;
	/** How the match was found, or why there is none. */
	how: 'email' | 'name' | 'ambiguous' | 'none';
}

/** An earlier import of the same Trello board by someone who can still see the board it made. */
export interface PreviousImport {
	boardId: string;
	boardName: string;
	importedAt: string;
	/** The very same file (not just another export of the same Trello board). */
	sameFile: boolean;
}

/** What the dry run tells the importer before anything is written. */
export interface DryRunReport {
	name: string;
	counts: { lists: number; cards: number; archivedCards: number; checklists: number; checklistItems: number; labels: number; members: number; moves: number; actions: number };
	stages: PlannedStage[];
	labels: PlannedLabel[];
	members: MemberMatch[];
	/** People the Trello members may be mapped to: the importer and those they share a board with. */
	people: Collaborator[];
	history: { from: string | null; to: string | null; actionsCapped: boolean; incompleteCards: number };
	losses: Loss[];
	previous: PreviousImport | null;
}

/** The importer's choices after the dry run. */
export interface ImportChoices {
	kinds: Record<string, StageKind>;
	/** Trello member id → user id, or null to leave the member out. Members not named keep the dry run's match. */
	people: Record<string, string | null>;
	/** Import although this file was imported before. */
	secondCopy: boolean;
}

/** Where an import is: building the board from the export, then writing it. */
export interface ImportProgress {
	phase: 'build' | 'write';
	done: number;
	total: number;
}

/** Reads an uploaded export: checks it is a whole Trello board export and plans the import (throws invalid_input). */
export function readTrelloUpload(bytes: Uint8Array, timeZone: string, now: Date): TrelloUpload {
	const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
	const plan = planImport(parseTrelloExport(text), timeZone, now.getTime());
	return { plan, fileHash: createHash('sha256').update(bytes).digest('hex') };
}

/** The dry run: what an import of `upload` would create for `userId`, whom the members map to, what is lost. */
export async function trelloDryRun(db: Db, userId: string, upload: TrelloUpload): Promise<DryRunReport> {
	const { plan } = upload;
	const people = await listCollaborators(db, userId);
	const cards = plan.cards.filter((c) => !c.archived).length;
	return {
		name: plan.name,
		counts: {
			lists: plan.stages.length,
			cards,
			archivedCards: plan.cards.length - cards,
			checklists: plan.checklists,
			checklistItems: plan.checklistItems,
			labels: plan.labels.length,
			members: plan.members.length,
			moves: plan.moves,
			actions: plan.actions
		},
		stages: plan.stages,
		labels: plan.labels,
		members: matchMembers(plan, people),
		people,
		history: { from: plan.historyFrom, to: plan.historyTo, actionsCapped: plan.actionsCapped, incompleteCards: plan.incompleteHistory },
		losses: plan.losses,
		previous: await previousImport(db, userId, plan.trelloBoardId, upload.fileHash)
	};
}

/**
 * Imports the export as a new board owned by `userId`, in one transaction (see writeImportedBoard). Refused with
 * `conflict` when the same file was imported before and `secondCopy` is not set; a mapping to anyone but the
 * importer and the people they share a board with is refused. Returns the new board's id and name.
 */
export async function importTrello(
	db: Db,
	userId: string,
	upload: TrelloUpload,
	choices: ImportChoices,
	timeZone: string,
	now: Date,
	progress: (p: ImportProgress) => void = () => {}
): Promise<{ boardId: string; name: string }> {
	const { plan } = upload;
	const previous = await previousImport(db, userId, plan.trelloBoardId, upload.fileHash);
	if (previous?.sameFile && !choices.secondCopy) {
		throw new DomainError('conflict', `You imported this export on ${previous.importedAt.slice(0, 10)} as “${previous.boardName}”. Choose “Import a second copy” to import it again.`);
	}
	const collaborators = await listCollaborators(db, userId);
	const known = new Set(collaborators.map((c) => c.userId));
	const people: Record<string, string> = {};
	for (const match of matchMembers(plan, collaborators)) {
		const chosen = match.memberId in choices.people ? choices.people[match.memberId] : match.userId;
		if (!chosen) continue;
		if (!known.has(chosen)) throw new DomainError('invalid_input', `You can map Trello members only to yourself and people you already share a board with; “${match.fullName}” was mapped to someone else.`, 'people');
		people[match.memberId] = chosen;
	}
	const boardId = newId();
	const built = await buildBoard(boardId, plan, { kinds: choices.kinds, people, importerId: userId, timeZone }, (done, total) => progress({ phase: 'build', done, total }));
	const name = previous ? `${plan.name} (copy)` : plan.name;
	const editors = [...new Set(Object.values(people))].filter((id) => id !== userId);
	await writeImportedBoard(db, { id: boardId, name, ownerId: userId, editors, trelloBoardId: plan.trelloBoardId, fileHash: upload.fileHash, now }, built, (done, total) =>
		progress({ phase: 'write', done, total })
	);
	return { boardId, name };
}

/** Trello members matched to people by email, else by full name (a name two people share matches nobody). */
function matchMembers(plan: ImportPlan, people: readonly Collaborator[]): MemberMatch[] {
	const norm = (s: string) => s.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
	return plan.members.map((m) => {
		const base = { memberId: m.memberId, fullName: m.fullName || m.username, username: m.username, cards: m.cards };
		const byEmail = m.email ? people.find((p) => norm(p.email) === norm(m.email!)) : undefined;
		if (byEmail) return { ...base, userId: byEmail.userId, how: 'email' };
		const byName = m.fullName.trim() ? people.filter((p) => norm(p.name) === norm(m.fullName)) : [];
		if (byName.length === 1) return { ...base, userId: byName[0]!.userId, how: 'name' };
		return { ...base, userId: null, how: byName.length > 1 ? 'ambiguous' : 'none' };
	});
}

/** The latest import of this Trello board onto a board `userId` is still a member of. */
async function previousImport(db: Db, userId: string, trelloBoardId: string, fileHash: string): Promise<PreviousImport | null> {
	const rows = await db
		.select({ boardId: boards.id, boardName: boards.name, importedAt: trelloImports.importedAt, fileHash: trelloImports.fileHash })
		.from(trelloImports)
		.innerJoin(boards, eq(boards.id, trelloImports.boardId))
		.innerJoin(boardMembers, and(eq(boardMembers.boardId, boards.id), eq(boardMembers.userId, userId)))
		.where(eq(trelloImports.trelloBoardId, trelloBoardId))
		.orderBy(desc(trelloImports.importedAt));
	const same = rows.find((r) => r.fileHash === fileHash);
	const row = same ?? rows[0];
	return row ? { boardId: row.boardId, boardName: row.boardName, importedAt: row.importedAt.toISOString(), sameFile: same !== undefined } : null;
}
