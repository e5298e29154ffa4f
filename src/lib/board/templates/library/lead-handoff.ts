import { approval, doneStage, stage } from '../stage-builder.ts';
import { TEMPLATE_FORMAT, TEMPLATE_VERSION, type ProcessTemplate } from '../template.ts';

/**
 * Marketing-qualified leads handed to sales under a service-level agreement: the card's target date is when
 * sales must have made first contact; the steps before it count working days.
 */
export const leadHandoffTemplate: ProcessTemplate = {
	format: TEMPLATE_FORMAT,
	version: TEMPLATE_VERSION,
	name: 'Lead hand-off to sales',
	description:
		'Enrich and qualify a lead, have sales accept it and make first contact within the agreed time, and feed the outcome back to marketing. Set the first-contact deadline as the card’s target date.',
	teamRoles: ['Marketing operations specialist', 'Sales development representative', 'Account executive', 'Marketing manager'],
	timeUnit: 'working',
	stages: [
		stage({ key: 'new-leads', name: 'New leads', kind: 'queue' }),
		stage({
			key: 'enrich',
			name: 'Enrich and de-duplicate',
			kind: 'active',
			ownerRole: 'Marketing operations specialist',
			offset: 3,
			exitCriteria: [
				'Company, role and contact details complete in the CRM',
				'Checked for duplicates and existing open deals',
				'Source and campaign (UTM parameters) recorded',
				'Consent to be contacted recorded'
			]
		}),
		stage({
			key: 'qualify',
			name: 'Qualify (MQL)',
			kind: 'active',
			ownerRole: 'Marketing operations specialist',
			offset: 2,
			wipLimit: 20,
			exitCriteria: ['Lead score meets the MQL threshold', 'Need, fit and timing noted for sales']
		}),
		stage({
			key: 'sales-acceptance',
			name: 'Sales acceptance',
			kind: 'wait',
			ownerRole: 'Sales development representative',
			offset: 1,
			wipLimit: 15,
			exitCriteria: ['Accepted, or returned with a reason'],
			approval: approval({ role: 'Sales development representative', quorum: 1, changesTo: 'qualify', rejectTo: 'nurture' })
		}),
		stage({
			key: 'first-contact',
			name: 'First contact',
			kind: 'active',
			ownerRole: 'Sales development representative',
			offset: 0,
			wipLimit: 15,
			exitCriteria: ['First contact made and logged in the CRM', 'Meeting booked, or next attempt scheduled']
		}),
		stage({
			key: 'nurture',
			name: 'Back to nurture',
			kind: 'wait',
			ownerRole: 'Marketing manager',
			exitCriteria: ['Reason for returning the lead recorded', 'Lead added to a nurture programme it consented to']
		}),
		stage({
			key: 'feedback',
			name: 'Outcome to marketing',
			kind: 'active',
			ownerRole: 'Account executive',
			exitCriteria: ['Outcome recorded: opportunity, disqualified (with reason) or recycled', 'Lead source credited for reporting']
		}),
		doneStage()
	],
	labels: [
		{ name: 'Hot', color: 'red' },
		{ name: 'Inbound', color: 'emerald' },
		{ name: 'Event lead', color: 'sky' },
		{ name: 'Partner referral', color: 'indigo' },
		{ name: 'Enterprise', color: 'fuchsia' }
	],
	checklist: [
		'Consent to be contacted recorded',
		'No duplicate in the CRM',
		'Lead source and UTM parameters recorded',
		'Lead score and reason for qualifying noted',
		'Contacted within the agreed time',
		'Outcome fed back to marketing'
	]
};
