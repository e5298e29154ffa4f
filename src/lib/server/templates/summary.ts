import type { TimeUnit } from '../../board/templates/template.ts';
import { mayDelete, type TemplateEntry, type TemplateSource } from './templates.ts';

/** One stage of a template as pickers show it: its step's owner role, due offset and unit, and whether it needs a sign-off. */
export interface TemplateStageSummary {
	key: string;
	name: string;
	kind: string;
	ownerRole: string | null;
	offset: number | null;
	unit: TimeUnit;
	approval: boolean;
}

/** A template as the API and the pages list it (plain JSON). */
export interface TemplateSummary {
	id: string;
	source: TemplateSource;
	name: string;
	description: string;
	teamRoles: string[];
	stages: TemplateStageSummary[];
	createdBy: { id: string; name: string } | null;
	/** Whether the viewer may delete it (the team member who saved it). */
	canDelete: boolean;
}

/** `entry` summarised for `userId`. */
export function summarizeTemplate(entry: TemplateEntry, userId: string): TemplateSummary {
	const { template } = entry;
	return {
		id: entry.id,
		source: entry.source,
		name: template.name,
		description: template.description,
		teamRoles: template.teamRoles,
		stages: template.stages.map((s) => ({
			key: s.key,
			name: s.name,
			kind: s.kind,
			ownerRole: s.step.ownerRole,
			offset: s.step.offset,
			unit: s.step.unit ?? template.timeUnit,
			approval: s.step.approval !== null
		})),
		createdBy: entry.createdBy,
		canDelete: mayDelete(entry, userId)
	};
}

/** A file name for a template's export: its name, ".flowdeck-template.json". */
export function templateFileName(name: string): string {
	return `${name}.flowdeck-template.json`;
}
