import type { StageKind, WipMode } from '../types.ts';
import type { StepApproval, TemplateStage, TimeUnit } from './template.ts';

/** What a built-in template says about one stage; everything left out means "none". */
export interface StageSpec {
	key: string;
	name: string;
	kind: StageKind;
	wipLimit?: number;
	wipMode?: WipMode;
	exitCriteria?: string[];
	ownerRole?: string;
	offset?: number;
	unit?: TimeUnit;
	approval?: StepApproval;
}

/** A template stage from a spec, with nulls for what it leaves out (the library reads as a table, not as JSON). */
export function stage(spec: StageSpec): TemplateStage {
	return {
		key: spec.key,
		name: spec.name,
		kind: spec.kind,
		wipLimit: spec.wipLimit ?? null,
		wipMode: spec.wipMode ?? 'soft',
		exitCriteria: spec.exitCriteria ?? [],
		step: {
			ownerRole: spec.ownerRole ?? null,
			offset: spec.offset ?? null,
			...(spec.unit ? { unit: spec.unit } : {}),
			approval: spec.approval ?? null
		}
	};
}

/** What a built-in template says about a sign-off. */
export interface ApprovalSpec {
	role: string;
	count?: number;
	quorum?: 'all' | number;
	/** Where a card goes when an approver asks for changes. */
	changesTo: string;
	/** Where a rejected card goes; absent: it is archived. */
	rejectTo?: string;
}

/** A step approval from a spec: one approval by default; a rejected card is archived unless sent somewhere. */
export function approval(spec: ApprovalSpec): StepApproval {
	return {
		approvers: { role: spec.role, ...(spec.count === undefined ? {} : { count: spec.count }) },
		quorum: spec.quorum ?? 1,
		onChanges: { sendTo: spec.changesTo },
		onReject: spec.rejectTo ? { archive: false, sendTo: spec.rejectTo } : { archive: true, sendTo: null }
	};
}

/** The stage every template ends with. */
export const doneStage = (): TemplateStage => stage({ key: 'done', name: 'Done', kind: 'done' });
