import { approval, doneStage, stage } from '../stage-builder.ts';
import { TEMPLATE_FORMAT, TEMPLATE_VERSION, type ProcessTemplate } from '../template.ts';

/** A product or feature launch run by product marketing with the product team, in working days before launch day. */
export const productLaunchTemplate: ProcessTemplate = {
	format: TEMPLATE_FORMAT,
	version: TEMPLATE_VERSION,
	name: 'Product launch',
	description:
		'Product marketing and the product team take a release from positioning to launch day and a review. Set the launch day as the card’s target date; steps count working days before it.',
	teamRoles: [
		'Product marketing manager',
		'Product manager',
		'Copywriter',
		'Graphic designer',
		'Legal reviewer',
		'Sales enablement lead',
		'Customer support lead'
	],
	timeUnit: 'working',
	stages: [
		stage({ key: 'requests', name: 'Launch requests', kind: 'queue', exitCriteria: ['Release and expected date confirmed by the product team'] }),
		stage({
			key: 'tiering',
			name: 'Launch tier and goals',
			kind: 'active',
			ownerRole: 'Product marketing manager',
			offset: 30,
			exitCriteria: ['Launch tier agreed with the product manager', 'Goals and success metrics set', 'Launch date confirmed by engineering']
		}),
		stage({
			key: 'positioning',
			name: 'Positioning and messaging',
			kind: 'active',
			ownerRole: 'Product marketing manager',
			offset: 25,
			wipLimit: 2,
			exitCriteria: ['Target customer and problem stated', 'Value proposition and three key messages written', 'Competitive differentiation noted']
		}),
		stage({
			key: 'messaging-approval',
			name: 'Messaging approval',
			kind: 'wait',
			ownerRole: 'Product marketing manager',
			offset: 22,
			exitCriteria: ['Product team confirmed features, limits and availability are described accurately', 'Messaging approved'],
			approval: approval({ role: 'Product manager', quorum: 1, changesTo: 'positioning' })
		}),
		stage({
			key: 'assets',
			name: 'Launch assets',
			kind: 'active',
			ownerRole: 'Copywriter',
			offset: 15,
			wipLimit: 4,
			exitCriteria: [
				'Release notes, landing page, blog post and emails written',
				'Screenshots and videos match the release build',
				'Brand compliance checked',
				'Alt text on images, captions on videos, accessibility checked',
				'Tracking links with UTM parameters set'
			]
		}),
		stage({
			key: 'legal-review',
			name: 'Legal and compliance review',
			kind: 'wait',
			ownerRole: 'Product marketing manager',
			offset: 10,
			exitCriteria: ['Claims substantiated', 'Trademarks and third-party names used correctly', 'Privacy notice updated if data use changes'],
			approval: approval({ role: 'Legal reviewer', quorum: 1, changesTo: 'assets' })
		}),
		stage({
			key: 'enablement',
			name: 'Sales and support enablement',
			kind: 'active',
			ownerRole: 'Sales enablement lead',
			offset: 5,
			exitCriteria: [
				'Sales deck, battlecard and demo script updated',
				'Support FAQ and help articles ready',
				'Sales and support teams briefed'
			]
		}),
		stage({
			key: 'go-no-go',
			name: 'Go / no-go',
			kind: 'wait',
			ownerRole: 'Product marketing manager',
			offset: 2,
			wipMode: 'hard',
			wipLimit: 2,
			exitCriteria: ['Release passed QA', 'Support is staffed for launch day', 'Every launch asset approved'],
			approval: approval({ role: 'Product manager', quorum: 'all', changesTo: 'assets', rejectTo: 'requests' })
		}),
		stage({
			key: 'launch-day',
			name: 'Launch day',
			kind: 'active',
			ownerRole: 'Product marketing manager',
			offset: 0,
			exitCriteria: ['Pages published and emails sent', 'Announcement posted on every channel', 'Feedback and support tickets watched for the first day']
		}),
		stage({
			key: 'review',
			name: 'Post-launch review',
			kind: 'active',
			ownerRole: 'Product marketing manager',
			exitCriteria: ['Results against the launch goals shared', 'Customer and sales feedback passed to the product team', 'Lessons recorded for the next launch']
		}),
		doneStage()
	],
	labels: [
		{ name: 'Tier 1', color: 'red' },
		{ name: 'Tier 2', color: 'amber' },
		{ name: 'Tier 3', color: 'slate' },
		{ name: 'Feature', color: 'sky' },
		{ name: 'New product', color: 'fuchsia' }
	],
	checklist: [
		'Messaging approved by the product team',
		'Brand compliance checked',
		'Legal and privacy checked',
		'Screenshots match the release',
		'Alt text and captions on all media',
		'Tracking links with UTM parameters set',
		'Sales and support briefed'
	]
};
