import { z } from 'zod';
import '../zod-jitless.ts';
import { ID_PATTERN, isCalendarDate } from '../limits.ts';
import type { CardTarget, Handoff, StepSettings, StoredSignoff } from '../types.ts';

/** The longest team role name (the same as the team roles service allows). */
export const MAX_ROLE_NAME = 60;
/** The furthest a step's due date may lie from the target date, either way. */
export const MAX_OFFSET_DAYS = 3650;
/** The most members an approval rule may name. */
export const MAX_NAMED_APPROVERS = 50;
/** The longest comment on a sign-off decision. */
export const MAX_DECISION_COMMENT = 2000;

const userId = z.string().regex(ID_PATTERN);
const stageRef = z.string().regex(ID_PATTERN).nullable();
const roleName = z
	.string()
	.trim()
	.min(1)
	.max(MAX_ROLE_NAME)
	.refine((s) => !s.includes('\u0000'));

/** A sign-off rule as the document stores it (see StepApprovalRule). */
export const stepApprovalSchema = z.strictObject({
	approvers: z.strictObject({ userIds: z.array(userId).max(MAX_NAMED_APPROVERS), role: roleName.nullable() }),
	quorum: z.union([z.literal('all'), z.number().int().min(1).max(MAX_NAMED_APPROVERS + 100)]),
	onChanges: z.strictObject({ sendTo: stageRef }),
	onReject: z.strictObject({ archive: z.boolean(), sendTo: stageRef })
});

/** A stage's step settings as the document stores them (see StepSettings). */
export const stepSettingsSchema = z.strictObject({
	ownerRole: roleName.nullable(),
	offset: z.number().int().min(-MAX_OFFSET_DAYS).max(MAX_OFFSET_DAYS).nullable(),
	unit: z.enum(['working', 'calendar']),
	approval: stepApprovalSchema
		.refine((a) => a.approvers.userIds.length > 0 || a.approvers.role !== null, 'An approval needs approvers: name people, a role, or both.')
		.nullable()
});

const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)));

/** A card's target date as stored: `{ day, at }`. */
export const cardTargetSchema = z.strictObject({ day: z.string().refine(isCalendarDate), at: isoTime });

/** The process's hand-off record of a card. */
export const handoffSchema = z.strictObject({ stageId: z.string(), role: z.string(), userId: z.string().nullable(), at: isoTime });

/** A card's sign-off record in one stage. */
export const signoffSchema = z.strictObject({
	decisions: z
		.array(
			z.strictObject({
				userId: z.string(),
				outcome: z.enum(['approve', 'changes', 'reject']),
				at: isoTime,
				comment: z.string().max(MAX_DECISION_COMMENT)
			})
		)
		.max(500),
	contentAt: isoTime.nullable()
});

/** Team role holders as the server mirrors them into the document: role name → user ids. */
export const teamRoleHoldersSchema = z.record(roleName, z.array(z.string()).max(500));

/** Whether `v` is step settings a reader can use. */
export const isStepSettings = (v: unknown): v is StepSettings => stepSettingsSchema.safeParse(v).success;
/** Whether `v` is a stored target date. */
export const isCardTarget = (v: unknown): v is CardTarget => cardTargetSchema.safeParse(v).success;
/** Whether `v` is a stored hand-off. */
export const isHandoff = (v: unknown): v is Handoff => handoffSchema.safeParse(v).success;
/** Whether `v` is a stored sign-off record. */
export const isStoredSignoff = (v: unknown): v is StoredSignoff => signoffSchema.safeParse(v).success;
/** Whether `v` is a time zone this runtime knows (IANA name). */
export function isTimeZone(v: unknown): v is string {
	if (typeof v !== 'string' || v.length === 0 || v.length > 64) return false;
	try {
		new Intl.DateTimeFormat('en', { timeZone: v });
		return true;
	} catch {
		return false;
	}
}
