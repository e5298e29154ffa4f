import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { templateBoardUpdate } from '../../src/lib/board/doc/template-seed.ts';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';
import { slugify, stageKeys, templateFromBoard } from '../../src/lib/board/templates/from-board.ts';
import { LIBRARY_TEMPLATES, libraryTemplate } from '../../src/lib/board/templates/library/index.ts';
import { validateTemplate, type ProcessTemplate } from '../../src/lib/board/templates/template.ts';
import { exportTemplate, parseTemplateJson } from '../../src/lib/board/templates/template-json.ts';
import type { Stage } from '../../src/lib/board/types.ts';

/** A board seeded from `template`, read back as the server reads a board's workflow. */
function seededBoard(template: ProcessTemplate, teamRoles: Record<string, string[]> = {}) {
	const { update } = templateBoardUpdate(template, { timeZone: 'Europe/Berlin', fallbackApprover: 'creator1', teamRoles });
	const doc = new Y.Doc();
	Y.applyUpdate(doc, update);
	const snapshot = readSnapshot(doc);
	doc.destroy();
	return snapshot;
}

/** `template` with its stage keys replaced by stage positions, so templates that differ only in keys compare equal. */
function keysByPosition(template: ProcessTemplate) {
	const position = new Map(template.stages.map((s, i) => [s.key, `#${i}`]));
	const at = (key: string | null) => (key === null ? null : (position.get(key) ?? `unknown:${key}`));
	return {
		...template,
		stages: template.stages.map((s) => ({
			...s,
			key: at(s.key),
			step: {
				...s.step,
				approval: s.step.approval && {
					...s.step.approval,
					onChanges: { sendTo: at(s.step.approval.onChanges.sendTo) },
					onReject: { ...s.step.approval.onReject, sendTo: at(s.step.approval.onReject.sendTo) }
				}
			}
		}))
	};
}

describe('a board becomes a template', () => {
	it.each(LIBRARY_TEMPLATES.map((t) => t.id))('a board seeded from %s converts back to an equivalent, valid template', (id) => {
		const original = libraryTemplate(id)!;
		const board = seededBoard(original, { [original.teamRoles[0]!]: ['u1'] });
		const back = templateFromBoard({ name: original.name, description: original.description, stages: board.stages, process: board.process, teamRoles: original.teamRoles });
		const checked = validateTemplate(back);
		expect(checked.ok ? [] : checked.problems).toEqual([]);
		expect(keysByPosition(back)).toEqual(keysByPosition(original));
		// Keys come from the stage names, and sign-offs point at the stages they pointed at before.
		expect(back.stages.map((s) => s.key)).toEqual(stageKeys(original.stages.map((s) => s.name)));
		// It survives a file round trip unchanged.
		const file = parseTemplateJson(exportTemplate(back));
		expect(file.ok && file.template).toEqual(back);
	});

	it('the blog post: keys from names, sign-off targets mapped to keys, calendar days kept', () => {
		const blog = libraryTemplate('blog-post')!;
		const board = seededBoard(blog);
		const back = templateFromBoard({ name: 'Our blog', description: 'Ours', stages: board.stages, process: board.process, teamRoles: blog.teamRoles });
		expect(back.name).toBe('Our blog');
		expect(back.timeUnit).toBe('calendar');
		const approve = back.stages.find((s) => s.name === 'Approve outline')!;
		expect(approve.key).toBe('approve-outline');
		expect(approve.step.approval).toEqual({ approvers: { role: 'Marketing stakeholder' }, quorum: 1, onChanges: { sendTo: 'outline' }, onReject: { archive: false, sendTo: 'ideas-backlog' } });
		expect(back.stages.map((s) => s.step.offset).filter((o) => o !== null)).toEqual([30, 25, 20, 15, 10, 5, 4, 0]);
		expect(back.labels).toEqual(blog.labels);
		expect(back.checklist).toEqual(blog.checklist);
	});

	it('a sign-off by named people becomes a role-less one; roles only the steps name are added; odd units are kept per step', () => {
		const stages: Stage[] = [
			stage('s1', 'Draft', 'active', { ownerRole: 'Writer', offset: 5, unit: 'working', approval: null }),
			stage('s2', 'Review', 'wait', {
				ownerRole: 'Editor',
				offset: 3,
				unit: 'calendar',
				approval: { approvers: { userIds: ['u1', 'u2'], role: null }, quorum: 'all', onChanges: { sendTo: 's1' }, onReject: { archive: true, sendTo: null } }
			}),
			stage('s3', 'Ship', 'active', { ownerRole: 'Writer', offset: 0, unit: 'working', approval: null }),
			stage('s4', 'Done', 'done', null)
		];
		const back = templateFromBoard({ name: 'Mine', description: '', stages, process: { labels: [], checklist: [] }, teamRoles: ['Writer'] });
		expect(back.teamRoles).toEqual(['Writer', 'Editor']);
		expect(back.timeUnit).toBe('working');
		expect(back.stages[1]!.step).toEqual({
			ownerRole: 'Editor',
			offset: 3,
			unit: 'calendar',
			approval: { approvers: { role: null }, quorum: 'all', onChanges: { sendTo: 'draft' }, onReject: { archive: true, sendTo: null } }
		});
		expect(back.stages[3]!.step).toEqual({ ownerRole: null, offset: null, approval: null });
		const checked = validateTemplate(back);
		expect(checked.ok ? [] : checked.problems).toEqual([]);
	});

	it('what a template may not hold is left for validation to name (a negative offset, no done stage)', () => {
		const stages = [stage('s1', 'After launch', 'active', { ownerRole: null, offset: -2, unit: 'working', approval: null })];
		const checked = validateTemplate(templateFromBoard({ name: 'x', description: '', stages, process: { labels: [], checklist: [] }, teamRoles: [] }));
		expect(checked.ok).toBe(false);
		expect(checked.ok ? [] : checked.problems.map((p) => p.path)).toEqual(expect.arrayContaining(['stages[0].step.offset']));
	});

	it('slugs: accents dropped, punctuation to single dashes, never empty, unique with a number', () => {
		expect(slugify('  Café — Final draft!! ')).toBe('cafe-final-draft');
		expect(slugify('✓✓')).toBe('stage');
		expect(slugify('x'.repeat(100))).toHaveLength(64);
		expect(stageKeys(['Review', 'review', 'REVIEW', '??'])).toEqual(['review', 'review-2', 'review-3', 'stage']);
		expect(stageKeys(['a'.repeat(70), 'a'.repeat(70)])[1]).toBe(`${'a'.repeat(62)}-2`);
	});
});

function stage(id: string, name: string, kind: Stage['kind'], step: Stage['step']): Stage {
	return { id, name, rank: id, kind, wipLimit: null, wipMode: 'soft', exitCriteria: [], step };
}
