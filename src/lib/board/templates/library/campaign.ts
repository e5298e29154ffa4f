import { approval, doneStage, stage } from '../stage-builder.ts';
import { TEMPLATE_FORMAT, TEMPLATE_VERSION, type ProcessTemplate } from '../template.ts';

/**
 * A multi-channel campaign in working days before the launch day (the card's target date). Optimisation and
 * the report come after the launch, so they have no offset: offsets count days before the target date only.
 */
export const campaignTemplate: ProcessTemplate = {
	format: TEMPLATE_FORMAT,
	version: TEMPLATE_VERSION,
	name: 'Campaign',
	description:
		'Research, plan, approve, build, test and launch a campaign, then optimise it and report on it. Set the launch day as the card’s target date; steps count working days before it.',
	teamRoles: ['Campaign manager', 'Marketing analyst', 'Marketing lead', 'Creative lead', 'Copywriter', 'Marketing operations specialist'],
	timeUnit: 'working',
	stages: [
		stage({ key: 'requests', name: 'Campaign requests', kind: 'queue', exitCriteria: ['A brief with the business goal, budget range and launch date'] }),
		stage({
			key: 'market-research',
			name: 'Market research',
			kind: 'active',
			ownerRole: 'Marketing analyst',
			offset: 40,
			wipLimit: 3,
			exitCriteria: ['Market, competitors and their recent campaigns summarised', 'Past campaign results reviewed for lessons']
		}),
		stage({
			key: 'objectives',
			name: 'Objectives and KPIs',
			kind: 'active',
			ownerRole: 'Campaign manager',
			offset: 36,
			exitCriteria: ['Objectives are specific and measurable, with a deadline', 'KPIs, baselines and targets agreed']
		}),
		stage({
			key: 'audience',
			name: 'Audience and segments',
			kind: 'active',
			ownerRole: 'Marketing analyst',
			offset: 33,
			exitCriteria: ['Personas and segments defined', 'Audience lists checked for consent to be contacted']
		}),
		stage({
			key: 'budget',
			name: 'Budget',
			kind: 'active',
			ownerRole: 'Campaign manager',
			offset: 30,
			exitCriteria: ['Budget split by channel and by phase', 'Expected cost per lead or acquisition estimated']
		}),
		stage({
			key: 'strategy',
			name: 'Channel and messaging strategy',
			kind: 'active',
			ownerRole: 'Campaign manager',
			offset: 27,
			exitCriteria: ['Key message and proof points written', 'Channel plan and timeline set', 'Test plan (A/B variants) agreed']
		}),
		stage({
			key: 'approval',
			name: 'Approval and governance',
			kind: 'wait',
			ownerRole: 'Campaign manager',
			offset: 24,
			exitCriteria: [
				'Messaging approved',
				'Budget signed off',
				'Legal and privacy checked: claims, competitions, consent and data use'
			],
			approval: approval({ role: 'Marketing lead', quorum: 1, changesTo: 'strategy' })
		}),
		stage({
			key: 'content-creative',
			name: 'Content and creative',
			kind: 'active',
			ownerRole: 'Creative lead',
			offset: 18,
			wipLimit: 4,
			exitCriteria: [
				'Brand compliance checked: logo, colours, tone of voice',
				'Copy proofread and claims match the approved messaging',
				'Alt text on images and captions on videos',
				'Accessibility checked: contrast and readable text in every format'
			]
		}),
		stage({
			key: 'technical-setup',
			name: 'Technical setup',
			kind: 'active',
			ownerRole: 'Marketing operations specialist',
			offset: 8,
			wipLimit: 3,
			exitCriteria: [
				'Tracking links with UTM parameters set for every channel',
				'Conversion events and pixels fire (with consent only)',
				'Landing pages and forms live on staging, feeding the CRM',
				'Audiences and email lists loaded'
			]
		}),
		stage({
			key: 'qa',
			name: 'QA and testing',
			kind: 'wait',
			ownerRole: 'Marketing operations specialist',
			offset: 3,
			wipLimit: 3,
			wipMode: 'hard',
			exitCriteria: [
				'Every link and UTM parameter tested end to end',
				'Emails and ads render on the main clients and devices',
				'Test lead reached the CRM with its source',
				'Go-live approved by the campaign manager'
			],
			approval: approval({ role: 'Campaign manager', quorum: 1, changesTo: 'technical-setup', rejectTo: 'content-creative' })
		}),
		stage({
			key: 'launch',
			name: 'Launch',
			kind: 'active',
			ownerRole: 'Campaign manager',
			offset: 0,
			exitCriteria: ['Every channel is live', 'First-day numbers checked against the tracking plan']
		}),
		stage({
			key: 'optimisation',
			name: 'Optimisation',
			kind: 'active',
			ownerRole: 'Campaign manager',
			exitCriteria: ['Results reviewed against the KPIs each week', 'Weak variants paused and budget moved to what works', 'Changes logged with their reason']
		}),
		stage({
			key: 'report',
			name: 'Report',
			kind: 'active',
			ownerRole: 'Marketing analyst',
			exitCriteria: ['Results against each KPI and the budget spent', 'Lessons and recommendations written', 'Shared with stakeholders']
		}),
		doneStage()
	],
	labels: [
		{ name: 'Awareness', color: 'sky' },
		{ name: 'Demand generation', color: 'indigo' },
		{ name: 'Paid', color: 'amber' },
		{ name: 'Organic', color: 'emerald' },
		{ name: 'Blocked by legal', color: 'red' }
	],
	checklist: [
		'Brand compliance checked',
		'Messaging approved',
		'Legal and privacy checked',
		'Tracking links with UTM parameters set',
		'Alt text on images, captions on videos',
		'Accessibility checked',
		'Budget and KPIs recorded on the card'
	]
};
