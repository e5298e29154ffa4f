import * as Y from 'yjs';
import { initialRanks } from '../ranks.ts';
import type { ProcessTemplate } from '../templates/template.ts';
import type { StepApprovalRule, StepSettings } from '../types.ts';
import { SEED } from './origins.ts';
import { boardMaps, newStageId, SCHEMA_VERSION } from './schema.ts';

/** How a template becomes one board. */
export interface TemplateSeedOptions {
	/** The board's IANA time zone (plans count days there). */
	timeZone: string;
	/** Who signs off a step whose template names no approver role and nobody else was named (the board's creator). */
	fallbackApprover: string;
	/** Team role holders to mirror into the document (role name → user ids), as the server stores them. */
	teamRoles: Record<string, string[]>;
}

/** The stage ids a seeded board got, by template stage key. */
export type StageIdsByKey = Record<string, string>;

/**
 * A new board's first document state from a process template: its stages with their WIP limits, exit criteria and
 * step settings (owner role, offset, unit, sign-off with stage keys turned into stage ids), its labels, the checklist
 * new cards start with, its time zone and the team role mirror. Returns the update to store and the stage ids.
 */
export function templateBoardUpdate(template: ProcessTemplate, options: TemplateSeedOptions): { update: Uint8Array; stageIds: StageIdsByKey } {
	const doc = new Y.Doc();
	const stageIds: StageIdsByKey = Object.fromEntries(template.stages.map((s) => [s.key, newStageId()]));
	const idOf = (key: string | null) => (key ? (stageIds[key] ?? null) : null);
	doc.transact(() => {
		const maps = boardMaps(doc);
		maps.meta.set('schemaVersion', SCHEMA_VERSION);
		maps.meta.set('timeZone', options.timeZone);
		maps.meta.set('labels', template.labels.map((l) => ({ name: l.name, color: l.color })));
		maps.meta.set('checklist', [...template.checklist]);
		maps.process.set('teamRoles', options.teamRoles);
		const ranks = initialRanks(template.stages.length);
		template.stages.forEach((def, i) => {
			const id = stageIds[def.key]!;
			const stage = new Y.Map<unknown>();
			stage.set('id', id);
			stage.set('name', def.name);
			stage.set('rank', ranks[i]!);
			stage.set('kind', def.kind);
			stage.set('wipLimit', def.kind === 'done' ? null : def.wipLimit);
			stage.set('wipMode', def.wipMode);
			const criteria = new Y.Array<{ id: string; text: string }>();
			criteria.push(def.exitCriteria.map((text, n) => ({ id: `${id}c${n}`, text })));
			stage.set('exitCriteria', criteria);
			const { step } = def;
			const hasStep = step.ownerRole !== null || step.offset !== null || step.approval !== null;
			const approval: StepApprovalRule | null = step.approval
				? {
						approvers: { userIds: step.approval.approvers.role ? [] : [options.fallbackApprover], role: step.approval.approvers.role },
						quorum: step.approval.quorum,
						onChanges: { sendTo: idOf(step.approval.onChanges.sendTo) },
						onReject: { archive: step.approval.onReject.archive, sendTo: idOf(step.approval.onReject.sendTo) }
					}
				: null;
			const settings: StepSettings = { ownerRole: step.ownerRole, offset: step.offset, unit: step.unit ?? template.timeUnit, approval };
			stage.set('step', hasStep ? settings : null);
			maps.stages.set(id, stage);
		});
	}, SEED);
	const update = Y.encodeStateAsUpdate(doc);
	doc.destroy();
	return { update, stageIds };
}
