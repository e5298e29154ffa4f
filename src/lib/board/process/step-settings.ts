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

/** Whether `v` is an ISO time as `toISOString` writes it (a regex: Date.parse per card was a third of a board read). */
const isTime = (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z$/.test(v);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
/** Whether `v` is a record with exactly these keys (a stored value carries nothing else). */
const hasKeys = (v: Record<string, unknown>, keys: readonly string[]) => Object.keys(v).length === keys.length && keys.every((k) => Object.hasOwn(v, k));
const OUTCOMES: readonly unknown[] = ['approve', 'changes', 'reject'];
/** The most decisions kept per card and stage. */
export const MAX_DECISIONS = 500;

// The next three run for every card each time a board is read (hundreds of times a second while people drag on a
// 1,000-card board), so they are written out by hand: a zod parse of each card's entries doubled the read.

/** Whether `v` is a stored target date: `{ day, at }`. */
export function isCardTarget(v: unknown): v is CardTarget {
	return isRecord(v) && hasKeys(v, ['day', 'at']) && isCalendarDate(v.day) && isTime(v.at);
}

/** Whether `v` is a stored hand-off: `{ stageId, role, userId (or null), at, previous? }`. */
export function isHandoff(v: unknown): v is Handoff {
	if (!isRecord(v)) return false;
	const keys = Object.hasOwn(v, 'previous') ? ['stageId', 'role', 'userId', 'at', 'previous'] : ['stageId', 'role', 'userId', 'at'];
	return hasKeys(v, keys) && (v.previous === undefined || v.previous === null || typeof v.previous === 'string') && typeof v.stageId === 'string' && typeof v.role === 'string' && (v.userId === null || typeof v.userId === 'string') && isTime(v.at);
}

/** Whether `v` is a stored sign-off record: `{ decisions: [{ userId, outcome, at, comment }], contentAt }`. */
export function isStoredSignoff(v: unknown): v is StoredSignoff {
	if (!isRecord(v) || !hasKeys(v, ['decisions', 'contentAt']) || !(v.contentAt === null || isTime(v.contentAt))) return false;
	const { decisions } = v;
	return (
		Array.isArray(decisions) &&
		decisions.length <= MAX_DECISIONS &&
		decisions.every(
			(d: unknown) =>
				isRecord(d) && hasKeys(d, ['userId', 'outcome', 'at', 'comment']) && typeof d.userId === 'string' && OUTCOMES.includes(d.outcome) && isTime(d.at) && typeof d.comment === 'string' && d.comment.length <= MAX_DECISION_COMMENT
		)
	);
}

/** Team role holders as the server mirrors them into the document: role name → user ids. */
export const teamRoleHoldersSchema = z.record(roleName, z.array(z.string()).max(500));

/** Whether `v` is step settings a reader can use. */
export const isStepSettings = (v: unknown): v is StepSettings => stepSettingsSchema.safeParse(v).success;
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
