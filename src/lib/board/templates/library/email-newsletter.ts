import { approval, doneStage, stage } from '../stage-builder.ts';
import { TEMPLATE_FORMAT, TEMPLATE_VERSION, type ProcessTemplate } from '../template.ts';

/** One issue of a recurring email newsletter, in working days before the send day; results are read after it. */
export const emailNewsletterTemplate: ProcessTemplate = {
	format: TEMPLATE_FORMAT,
	version: TEMPLATE_VERSION,
	name: 'Email newsletter',
	description:
		'Plan, write, build, approve, test and send one issue, then read its results. Set the send day as the card’s target date; steps count working days before it.',
	teamRoles: ['Newsletter editor', 'Copywriter', 'Graphic designer', 'Email marketer', 'Marketing stakeholder'],
	timeUnit: 'working',
	stages: [
		stage({ key: 'story-ideas', name: 'Story ideas', kind: 'queue' }),
		stage({
			key: 'plan',
			name: 'Plan the issue',
			kind: 'active',
			ownerRole: 'Newsletter editor',
			offset: 10,
			wipLimit: 2,
			exitCriteria: ['Stories and their order chosen', 'Segment and send time chosen', 'Two subject lines to A/B test']
		}),
		stage({
			key: 'write',
			name: 'Write copy',
			kind: 'active',
			ownerRole: 'Copywriter',
			offset: 7,
			wipLimit: 3,
			exitCriteria: ['Copy proofread; brand voice followed', 'Subject line and preheader written', 'One clear call to action per story']
		}),
		stage({
			key: 'build',
			name: 'Design and build',
			kind: 'active',
			ownerRole: 'Email marketer',
			offset: 5,
			exitCriteria: [
				'Built on the approved email template',
				'Alt text on every image; the email reads well with images off',
				'Tracking links with UTM parameters on every link',
				'Unsubscribe link and postal address in the footer'
			]
		}),
		stage({
			key: 'review',
			name: 'Review and approve',
			kind: 'wait',
			ownerRole: 'Newsletter editor',
			offset: 3,
			exitCriteria: ['Messaging approved', 'Claims, prices and dates checked'],
			approval: approval({ role: 'Marketing stakeholder', quorum: 1, changesTo: 'write' })
		}),
		stage({
			key: 'test',
			name: 'Test sends',
			kind: 'active',
			ownerRole: 'Email marketer',
			offset: 2,
			exitCriteria: [
				'Renders on the main email clients, on mobile and in dark mode',
				'Every link clicked in the test send',
				'Plain-text version checked',
				'Accessibility checked: contrast, font size, reading order'
			]
		}),
		stage({
			key: 'scheduled',
			name: 'Scheduled',
			kind: 'wait',
			ownerRole: 'Email marketer',
			offset: 1,
			exitCriteria: ['Scheduled to the chosen segment, suppression lists applied']
		}),
		stage({
			key: 'send',
			name: 'Sent',
			kind: 'active',
			ownerRole: 'Email marketer',
			offset: 0,
			exitCriteria: ['Sent; bounces and complaints checked on the day']
		}),
		stage({
			key: 'results',
			name: 'Results',
			kind: 'active',
			ownerRole: 'Newsletter editor',
			exitCriteria: ['Open, click and unsubscribe rates recorded after two days', 'Subject line test winner noted for next time']
		}),
		doneStage()
	],
	labels: [
		{ name: 'Weekly', color: 'sky' },
		{ name: 'Monthly', color: 'indigo' },
		{ name: 'Product news', color: 'emerald' },
		{ name: 'Promotion', color: 'amber' }
	],
	checklist: [
		'Brand voice and style guide followed',
		'Subject line and preheader proofread',
		'Alt text on every image',
		'UTM parameters on every link',
		'Unsubscribe link works',
		'Accessibility checked',
		'Sent only to contacts who consented'
	]
};
