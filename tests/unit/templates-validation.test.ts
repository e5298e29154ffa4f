import { describe, expect, it } from 'vitest';
import { libraryTemplate } from '../../src/lib/board/templates/library/index.ts';
import { validateTemplate } from '../../src/lib/board/templates/template.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests break templates field by field

/** A valid template as plain JSON, for a test to break. */
const blog = (): Json => JSON.parse(JSON.stringify(libraryTemplate('blog-post'))) as Json;

/** The problems `json` has, as "path: message" lines. */
function problems(json: unknown): string[] {
	const result = validateTemplate(json);
	return result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`);
}

describe('validateTemplate', () => {
	it('a missing name is named by its path', () => {
		const t = blog();
		delete t.name;
		expect(problems(t)).toEqual(['name: is missing']);
	});

	it('an offset of 2.5 days is not a whole number of days', () => {
		const t = blog();
		t.stages[3].step.offset = 2.5;
		expect(problems(t)).toEqual(['stages[3].step.offset: must be a whole number of days']);
	});

	it('a negative offset is refused: offsets count days before the target date', () => {
		const t = blog();
		t.stages[8].step.offset = -1;
		expect(problems(t)).toEqual(['stages[8].step.offset: must not be negative: it counts days before the target date (0 is the target day)']);
	});

	it('a role used by a step or an approval must be one of the team roles', () => {
		const t = blog();
		t.stages[2].step.ownerRole = 'Copy editor';
		t.stages[4].step.approval.approvers.role = 'marketing stakeholder';
		expect(problems(t)).toEqual([
			'stages[2].step.ownerRole: "Copy editor" is not one of the template\'s team roles (teamRoles)',
			'stages[4].step.approval.approvers.role: "marketing stakeholder" is not one of the template\'s team roles (teamRoles); did you mean "Marketing stakeholder"?'
		]);
	});

	it('stage keys and names are unique', () => {
		const t = blog();
		t.stages[5].key = 'outline';
		t.stages[6].name = 'final draft';
		expect(problems(t)).toEqual([
			'stages[5].key: "outline" is already the key of stages[3]: keys must be unique',
			'stages[6].name: "final draft" is already the name of stages[5]: names must be unique'
		]);
	});

	it('sendTo must name another stage that exists', () => {
		const t = blog();
		t.stages[4].step.approval.onChanges.sendTo = 'first-draft';
		t.stages[4].step.approval.onReject.sendTo = 'approve-outline';
		expect(problems(t)).toEqual([
			'stages[4].step.approval.onChanges.sendTo: no stage has the key "first-draft"',
			'stages[4].step.approval.onReject.sendTo: must name another stage: a card cannot be sent back to the stage it is in'
		]);
	});

	it('a later step due before an earlier one is a step-order problem', () => {
		const t = blog();
		t.stages[6].step.offset = 12; // Images, after Final draft (10 days before)
		expect(problems(t)).toEqual([
			'stages[6].step.offset: step order: due 12 calendar days before the target date, before the earlier step "Final draft" (stages[5], 10 calendar days before); a later step must not be due before an earlier one'
		]);
	});

	it('step order compares working and calendar days as a 5-day working week', () => {
		const t = blog();
		t.stages[6].step.unit = 'working';
		t.stages[6].step.offset = 7; // at least 9 calendar days: still after Final draft's 10
		expect(problems(t)).toEqual([]);
		t.stages[6].step.offset = 8; // at least 10 calendar days and usually more
		expect(problems(t)).toEqual([expect.stringMatching(/^stages\[6\]\.step\.offset: step order: due 8 working days/)]);
	});

	it('an approval asks for no more approvals than it has approvers, and a rejected card goes one way', () => {
		const t = blog();
		t.stages[4].step.approval.approvers.count = 2;
		t.stages[4].step.approval.quorum = 3;
		t.stages[4].step.approval.onReject = { archive: true, sendTo: 'ideas' };
		t.stages[4].step.approval.onChanges = {};
		expect(problems(t)).toEqual([
			'stages[4].step.approval.onChanges.sendTo: is missing',
			'stages[4].step.approval.quorum: needs 3 approvals but only 2 approvers are asked',
			'stages[4].step.approval.onReject: either archive a rejected card or send it to a stage, not both'
		]);
		t.stages[4].step.approval.quorum = 'most';
		expect(problems(t)[0]).toBe('stages[4].step.approval.quorum: must be "all" or a whole number of approvals, at least 1');
	});

	it('team roles and label names are listed once', () => {
		const t = blog();
		t.teamRoles.push('seo strategist');
		t.labels.push({ name: 'seo', color: 'red' });
		expect(problems(t)).toEqual([
			'teamRoles[6]: "seo strategist" is already listed as teamRoles[1]',
			'labels[6].name: "seo" is already the name of labels[0]'
		]);
	});

	it('a 61-stage template is too many stages', () => {
		const t = blog();
		const extra = Array.from({ length: 51 }, (_, i) => ({ ...t.stages[0], key: `extra-${i}`, name: `Extra ${i}` }));
		t.stages = [...extra, ...t.stages];
		expect(t.stages).toHaveLength(61);
		expect(problems(t)).toEqual(['stages: at most 50 stages; this template has 61']);
	});

	it('a template needs a done stage', () => {
		const t = blog();
		t.stages.pop();
		expect(problems(t)).toEqual(['stages: needs a stage of kind "done", where finished work goes (lead and cycle time end there)']);
	});

	it('label colours come from the board’s palette', () => {
		const t = blog();
		t.labels[1].color = 'hotpink';
		expect(problems(t)).toEqual(['labels[1].color: must be one of the board\'s colours: slate, red, amber, emerald, sky, indigo, fuchsia']);
	});

	it('holds to the board’s limits: stage names, exit criteria, labels, checklist', () => {
		const t = blog();
		t.stages[1].name = 'x'.repeat(61);
		t.stages[2].exitCriteria = Array.from({ length: 21 }, (_, i) => `Criterion ${i}`);
		t.labels = Array.from({ length: 21 }, (_, i) => ({ name: `Label ${i}`, color: 'sky' }));
		t.checklist = Array.from({ length: 101 }, (_, i) => `Item ${i}`);
		expect(problems(t)).toEqual([
			'stages[1].name: must be at most 60 characters',
			'stages[2].exitCriteria: at most 20 exit criteria per stage; this stage has 21',
			'labels: at most 20 labels; this template has 21',
			'checklist: at most 100 checklist items; this template has 101'
		]);
	});

	it('lists every problem at once, each with its path', () => {
		const t = blog();
		delete t.name;
		t.stages[1].step.offset = 2.5;
		t.stages[2].step.offset = -1;
		t.stages[3].step.ownerRole = 'Intern';
		t.stages[5].key = 'outline';
		t.stages[4].step.approval.onChanges.sendTo = 'nowhere';
		t.stages[7].step.offset = 9; // after Images (5 days before)
		t.stages[9].kind = 'active';
		t.labels[0].color = 'pink';
		t.stages[1].wipLimit = 0;
		t.surprise = true;
		expect(problems(t)).toEqual([
			'name: is missing',
			'stages: needs a stage of kind "done", where finished work goes (lead and cycle time end there)',
			'stages[1].wipLimit: must be at least 1, or null for no limit',
			'stages[1].step.offset: must be a whole number of days',
			'stages[2].step.offset: must not be negative: it counts days before the target date (0 is the target day)',
			'stages[3].step.ownerRole: "Intern" is not one of the template\'s team roles (teamRoles)',
			'stages[4].step.approval.onChanges.sendTo: no stage has the key "nowhere"',
			'stages[5].key: "outline" is already the key of stages[3]: keys must be unique',
			'stages[7].step.offset: step order: due 9 calendar days before the target date, before the earlier step "Images or infographics" (stages[6], 5 calendar days before); a later step must not be due before an earlier one',
			'labels[0].color: must be one of the board\'s colours: slate, red, amber, emerald, sky, indigo, fuchsia',
			'surprise: is not a field of a Flowdeck template'
		]);
	});

	it('says what is wrong with something that is not a template at all', () => {
		expect(problems([1, 2])).toEqual(['(template): must be an object']);
		expect(problems({ format: 'other.thing', version: 2 })).toEqual(
			expect.arrayContaining([
				'format: must be "flowdeck.template": this is not a Flowdeck template',
				'version: this Flowdeck reads version 1 templates',
				'stages: is missing'
			])
		);
	});

	it('changes nothing it is given, and returns the template when it is valid', () => {
		const t = blog();
		const before = JSON.stringify(t);
		const result = validateTemplate(t);
		expect(result.ok && result.template.name).toBe('Blog post');
		t.stages[3].step.offset = 2.5;
		validateTemplate(t);
		t.stages[3].step.offset = 20;
		expect(JSON.stringify(t)).toBe(before);
	});
});
