import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { processTemplates } from '../db/schema/templates.ts';
import { DomainError } from '../errors.ts';
import { getTemplate } from '../templates/templates.ts';
import { validateTemplate } from '../../board/templates/template.ts';

/**
 * Writes new step offsets (by stage name) into the team template `templateId` when `userId` saved it (its owner). Says
 * why not otherwise: a built-in, someone else's, deleted since, or a stage the template does not have by that name.
 */
export async function updateTemplateOffsets(db: Db, templateId: string, userId: string, offsets: ReadonlyMap<string, number>, now: Date): Promise<{ name: string; updated: boolean; reason: string | null }> {
	let entry;
	try {
		entry = await getTemplate(db, templateId);
	} catch (err) {
		if (err instanceof DomainError && err.code === 'not_found') return { name: 'the template', updated: false, reason: 'The template this board came from was deleted.' };
		throw err;
	}
	const { name } = entry.template;
	if (entry.source === 'builtin') return { name, updated: false, reason: `“${name}” is a built-in template; save the board as a template of your own to keep the change.` };
	if (entry.createdBy?.id !== userId) return { name, updated: false, reason: `Only the person who saved “${name}” can change it.` };
	if (offsets.size === 0) return { name, updated: false, reason: null };
	const missing = [...offsets.keys()].filter((stage) => !entry.template.stages.some((s) => s.name === stage));
	if (missing.length > 0) return { name, updated: false, reason: `“${name}” has no stage called “${missing[0]}” any more.` };
	const next = { ...entry.template, stages: entry.template.stages.map((s) => (offsets.has(s.name) ? { ...s, step: { ...s.step, offset: offsets.get(s.name)! } } : s)) };
	const checked = validateTemplate(next);
	if (!checked.ok) return { name, updated: false, reason: `“${name}” would break its rules: ${checked.problems[0]!.message}.` };
	await db.update(processTemplates).set({ template: checked.template, updatedAt: now }).where(eq(processTemplates.id, templateId));
	return { name, updated: true, reason: null };
}
