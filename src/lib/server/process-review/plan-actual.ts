import { z } from 'zod';
import type { Db } from '../db/client.ts';
import { DomainError } from '../errors.ts';
import { parseBody } from '../validation.ts';
import { isCommandRefusal, type BoardDocuments } from '../board-documents.ts';
import { ID_PATTERN } from '../../board/limits.ts';
import { MAX_OFFSET_DAYS } from '../../board/process/step-settings.ts';
import { AllowanceError, offsetsForAllowance, type ReviewStep } from '../../board/metrics/process/plan-actual.ts';
import type { Stage } from '../../board/types.ts';
import { readProcessSettings, requireProcessOwner } from './owner.ts';
import { updateTemplateOffsets } from './template-offsets.ts';

/** The board's steps as the review reads them: every stage with step settings, in workflow order. */
export function reviewSteps(stages: readonly Stage[]): ReviewStep[] {
	return stages.flatMap((s) => (s.step ? [{ stageId: s.id, name: s.name, offset: s.step.offset, unit: s.step.unit }] : []));
}

/** What `POST …/process/allowance` accepts: a step and the days it should be allowed. */
export const allowanceSchema = z.strictObject({
	stageId: z.string({ error: 'Say which step to change.' }).regex(ID_PATTERN, { error: 'That is not a step of this board.' }),
	days: z.number({ error: 'Give the days as a whole number.' }).int({ error: 'Give the days as a whole number.' }).min(0, { error: 'A step cannot be allowed fewer than 0 days.' }).max(MAX_OFFSET_DAYS, { error: `A step can be allowed at most ${MAX_OFFSET_DAYS} days.` })
});

/** What applying an allowance changed: the board's steps, and the template too when the caller owns it. */
export interface AllowanceApplied {
	changed: { stageId: string; offset: number }[];
	template: { name: string; updated: boolean; reason: string | null } | null;
}

/**
 * Gives a step a new allowance (owners and the process owner only): the steps before it start earlier or later by the
 * difference (see `offsetsForAllowance`), written to the board through the server command path in one transaction; and
 * the same offsets written to the team template the board came from when the caller saved it. A refusal changes nothing.
 */
export async function applyAllowance(db: Db, documents: BoardDocuments, boardId: string, userId: string, body: unknown, now: Date): Promise<AllowanceApplied> {
	await requireProcessOwner(db, boardId, userId);
	const { stageId, days } = parseBody(allowanceSchema, body);
	const { stages } = await documents.readBoard(boardId, { kind: 'workflow' });
	let offsets: Map<string, number>;
	try {
		offsets = offsetsForAllowance(reviewSteps(stages), stageId, days);
	} catch (err) {
		if (err instanceof AllowanceError) throw new DomainError('invalid_input', err.message);
		throw err;
	}
	const byId = new Map(stages.map((s) => [s.id, s]));
	const commands = [...offsets].map(([id, offset]) => ({ name: 'setStageStep' as const, args: [id, { ...byId.get(id)!.step!, offset }] as [string, unknown] }));
	if (commands.length > 0) {
		try {
			await documents.applyAsServer(boardId, { kind: 'server', actorId: userId }, commands);
		} catch (err) {
			if (isCommandRefusal(err)) throw new DomainError('conflict', err.message);
			throw err;
		}
	}
	const { templateId } = await readProcessSettings(db, boardId);
	const names = new Map([...offsets].map(([id, offset]) => [byId.get(id)!.name, offset]));
	const template = templateId ? await updateTemplateOffsets(db, templateId, userId, names, now) : null;
	return { changed: [...offsets].map(([id, offset]) => ({ stageId: id, offset })), template };
}
