import { describe, expect, it } from 'vitest';
import { LIBRARY_TEMPLATES, libraryTemplate } from '../../src/lib/board/templates/library/index.ts';
import { validateTemplate } from '../../src/lib/board/templates/template.ts';

describe('built-in process templates', () => {
	it('offers the seven templates the issue asks for', () => {
		expect(LIBRARY_TEMPLATES.map((t) => t.name)).toEqual([
			'Blog post',
			'Campaign',
			'Product launch',
			'Webinar or event',
			'Email newsletter',
			'Lead hand-off to sales',
			'Customer story'
		]);
		expect(libraryTemplate('no-such-template')).toBeUndefined();
	});

	it.each(LIBRARY_TEMPLATES.map((t) => t.id))('%s passes validation', (id) => {
		const result = validateTemplate(libraryTemplate(id));
		expect(result.ok ? [] : result.problems).toEqual([]);
	});

	it.each(LIBRARY_TEMPLATES.map((t) => t.id))('%s has owners, exit criteria on its steps, a sign-off, labels and a checklist', (id) => {
		const template = libraryTemplate(id)!;
		const steps = template.stages.filter((s) => s.kind !== 'done' && s.kind !== 'queue');
		expect(steps.length).toBeGreaterThanOrEqual(5);
		for (const s of steps) {
			expect(s.step.ownerRole, s.name).not.toBeNull();
			expect(s.exitCriteria.length, s.name).toBeGreaterThan(0);
		}
		expect(template.stages.some((s) => s.step.approval !== null)).toBe(true);
		expect(template.stages.at(-1)!.kind).toBe('done');
		expect(template.labels.length).toBeGreaterThan(0);
		expect(template.checklist.length).toBeGreaterThan(0);
	});

	it('the blog post has exactly the team’s eight steps, roles and calendar-day offsets, in order', () => {
		const blog = libraryTemplate('blog-post')!;
		expect(blog.timeUnit).toBe('calendar');
		const steps = blog.stages.filter((s) => s.step.offset !== null);
		expect(steps.map((s) => [s.name, s.step.ownerRole, s.step.offset, s.step.unit ?? blog.timeUnit])).toEqual([
			['Generate idea', 'Content strategist', 30, 'calendar'],
			['Keyword research', 'SEO strategist', 25, 'calendar'],
			['Outline', 'Blog writer', 20, 'calendar'],
			['Approve outline', 'SEO strategist', 15, 'calendar'],
			['Final draft', 'Blog writer', 10, 'calendar'],
			['Images or infographics', 'Graphic designer', 5, 'calendar'],
			['Schedule social promotion', 'Social media manager', 4, 'calendar'],
			['Publish and review the live version', 'Blog writer', 0, 'calendar']
		]);
		expect(blog.stages.map((s) => s.name)).toEqual(['Ideas backlog', ...steps.map((s) => s.name), 'Done']);
		expect(blog.stages[0]!.kind).toBe('queue');
	});

	it('the blog outline is signed off by a marketing stakeholder; changes go back to the outline', () => {
		const approve = libraryTemplate('blog-post')!.stages.find((s) => s.key === 'approve-outline')!;
		expect(approve.step.approval).toMatchObject({ approvers: { role: 'Marketing stakeholder' }, quorum: 1, onChanges: { sendTo: 'outline' } });
		expect(approve.exitCriteria.join(' ')).toMatch(/SEO strategist/);
	});

	it('the campaign runs its twelve steps in the brief’s order, in working days', () => {
		const campaign = libraryTemplate('campaign')!;
		expect(campaign.timeUnit).toBe('working');
		const steps = campaign.stages.filter((s) => s.kind !== 'queue' && s.kind !== 'done').map((s) => s.key);
		expect(steps).toEqual([
			'market-research',
			'objectives',
			'audience',
			'budget',
			'strategy',
			'approval',
			'content-creative',
			'technical-setup',
			'qa',
			'launch',
			'optimisation',
			'report'
		]);
	});

	it('hands out copies: changing one does not change the library', () => {
		libraryTemplate('blog-post')!.stages[1]!.step.offset = 99;
		expect(libraryTemplate('blog-post')!.stages[1]!.step.offset).toBe(30);
	});
});
