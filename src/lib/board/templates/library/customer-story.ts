import { approval, doneStage, stage } from '../stage-builder.ts';
import { TEMPLATE_FORMAT, TEMPLATE_VERSION, type ProcessTemplate } from '../template.ts';

/**
 * A customer case study written with customer success, in calendar days before publishing. Customers take
 * time to approve, so consent comes early and their sign-off has its own stage.
 */
export const customerStoryTemplate: ProcessTemplate = {
	format: TEMPLATE_FORMAT,
	version: TEMPLATE_VERSION,
	name: 'Customer story',
	description:
		'Customer success nominates a happy customer; marketing interviews them, writes the story and publishes it once the customer has approved it. Set the publishing day as the card’s target date.',
	teamRoles: ['Customer success manager', 'Customer marketing manager', 'Content writer', 'Graphic designer'],
	timeUnit: 'calendar',
	stages: [
		stage({ key: 'candidates', name: 'Story candidates', kind: 'queue' }),
		stage({
			key: 'nominate',
			name: 'Nominate customer',
			kind: 'active',
			ownerRole: 'Customer success manager',
			offset: 45,
			exitCriteria: ['Customer is happy and the account is in good standing', 'Measurable results available', 'Customer contact willing to take part']
		}),
		stage({
			key: 'consent',
			name: 'Customer consent',
			kind: 'wait',
			ownerRole: 'Customer success manager',
			offset: 40,
			exitCriteria: ['Written consent to be named and to use the logo', 'Customer’s approval process and approver known']
		}),
		stage({
			key: 'interview',
			name: 'Interview',
			kind: 'active',
			ownerRole: 'Content writer',
			offset: 30,
			exitCriteria: ['Questions shared with the customer beforehand', 'Interview recorded with permission', 'Figures and results collected from the customer']
		}),
		stage({
			key: 'draft',
			name: 'Draft story',
			kind: 'active',
			ownerRole: 'Content writer',
			offset: 20,
			wipLimit: 3,
			exitCriteria: ['Challenge, solution and results told with the customer’s figures', 'Quotes match the recording', 'Brand voice and style guide followed']
		}),
		stage({
			key: 'internal-review',
			name: 'Internal review',
			kind: 'wait',
			ownerRole: 'Content writer',
			offset: 14,
			exitCriteria: ['Customer success manager confirmed the facts about the account', 'Messaging approved'],
			approval: approval({ role: 'Customer marketing manager', quorum: 1, changesTo: 'draft' })
		}),
		// The customer is not on the board: their customer success manager records the customer's written sign-off.
		stage({
			key: 'customer-approval',
			name: 'Customer approval',
			kind: 'wait',
			ownerRole: 'Customer success manager',
			offset: 7,
			exitCriteria: ['Customer approved the final text, quotes and figures in writing', 'Legal or PR on the customer side cleared it, if they require it'],
			approval: approval({ role: 'Customer success manager', quorum: 1, changesTo: 'draft' })
		}),
		stage({
			key: 'design',
			name: 'Design and assets',
			kind: 'active',
			ownerRole: 'Graphic designer',
			offset: 4,
			exitCriteria: ['Layout and pull quotes on brand', 'Customer logo used as their guidelines require', 'Alt text on every image', 'PDF version checked for accessibility']
		}),
		stage({
			key: 'publish',
			name: 'Publish and promote',
			kind: 'active',
			ownerRole: 'Customer marketing manager',
			offset: 0,
			exitCriteria: ['Published and added to the case study library', 'Sales told, with a one-line summary', 'Social posts with UTM parameters scheduled, customer tagged', 'Customer thanked and sent the links']
		}),
		doneStage()
	],
	labels: [
		{ name: 'Enterprise', color: 'indigo' },
		{ name: 'Mid-market', color: 'sky' },
		{ name: 'Video', color: 'fuchsia' },
		{ name: 'Waiting for customer', color: 'amber' }
	],
	checklist: [
		'Written consent from the customer',
		'Customer approved the final version',
		'Figures checked against the customer’s data',
		'Brand compliance checked',
		'Alt text on every image',
		'Tracking links with UTM parameters set'
	]
};
