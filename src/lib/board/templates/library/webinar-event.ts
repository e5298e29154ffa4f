import { approval, doneStage, stage } from '../stage-builder.ts';
import { TEMPLATE_FORMAT, TEMPLATE_VERSION, type ProcessTemplate } from '../template.ts';

/** A webinar or an in-person event, in calendar days before the event day; the follow-up comes after it. */
export const webinarEventTemplate: ProcessTemplate = {
	format: TEMPLATE_FORMAT,
	version: TEMPLATE_VERSION,
	name: 'Webinar or event',
	description:
		'Topic, speakers, registration, promotion, slides and rehearsal up to the event, then the follow-up. Set the event day as the card’s target date; steps count calendar days before it.',
	teamRoles: ['Event manager', 'Speaker', 'Marketing lead', 'Email marketer', 'Social media manager', 'Marketing operations specialist', 'Graphic designer'],
	timeUnit: 'calendar',
	stages: [
		stage({ key: 'ideas', name: 'Event ideas', kind: 'queue' }),
		stage({
			key: 'topic',
			name: 'Topic and goals',
			kind: 'active',
			ownerRole: 'Event manager',
			offset: 45,
			wipLimit: 3,
			exitCriteria: ['Topic, audience and registration goal set', 'Date checked against holidays and competing events', 'Platform or venue booked']
		}),
		stage({
			key: 'speakers',
			name: 'Speakers confirmed',
			kind: 'active',
			ownerRole: 'Event manager',
			offset: 35,
			exitCriteria: ['Speakers confirmed in writing', 'Bios and headshots received, with permission to use them', 'Speaker brief sent (audience, timing, brand template)']
		}),
		stage({
			key: 'registration',
			name: 'Registration page',
			kind: 'active',
			ownerRole: 'Marketing operations specialist',
			offset: 28,
			exitCriteria: [
				'Registration form feeds the CRM and sends a confirmation',
				'Privacy notice and consent checkboxes on the form',
				'Tracking links with UTM parameters set for every promotion channel',
				'Page checked for accessibility and on mobile'
			]
		}),
		stage({
			key: 'promotion',
			name: 'Promotion',
			kind: 'active',
			ownerRole: 'Email marketer',
			offset: 21,
			exitCriteria: ['Invitation emails scheduled to consenting contacts', 'Social posts scheduled with the speakers tagged', 'Reminder emails scheduled (one week, one day, one hour before)']
		}),
		stage({
			key: 'slides',
			name: 'Slides and content',
			kind: 'active',
			ownerRole: 'Speaker',
			offset: 10,
			wipLimit: 3,
			exitCriteria: ['Slides on the brand template', 'Alt text or spoken descriptions for visuals; readable font sizes and contrast', 'Poll and Q&A questions prepared']
		}),
		stage({
			key: 'content-review',
			name: 'Content review',
			kind: 'wait',
			ownerRole: 'Event manager',
			offset: 7,
			exitCriteria: ['Messaging approved', 'Claims, customer names and third-party material cleared'],
			approval: approval({ role: 'Marketing lead', quorum: 1, changesTo: 'slides' })
		}),
		stage({
			key: 'rehearsal',
			name: 'Rehearsal and tech check',
			kind: 'active',
			ownerRole: 'Event manager',
			offset: 2,
			exitCriteria: ['Dry run held with every speaker', 'Recording, captions and backup connection tested', 'Run sheet shared with everyone on the day']
		}),
		stage({
			key: 'event-day',
			name: 'Event day',
			kind: 'active',
			ownerRole: 'Event manager',
			offset: 0,
			exitCriteria: ['Event held and recorded', 'Attendance and questions exported']
		}),
		stage({
			key: 'follow-up',
			name: 'Follow-up',
			kind: 'active',
			ownerRole: 'Email marketer',
			exitCriteria: [
				'Recording (with captions) sent to attendees and no-shows',
				'Leads handed to sales with their questions and source',
				'Results against the registration goal shared'
			]
		}),
		doneStage()
	],
	labels: [
		{ name: 'Webinar', color: 'sky' },
		{ name: 'In person', color: 'emerald' },
		{ name: 'Partner', color: 'indigo' },
		{ name: 'Speaker missing', color: 'red' }
	],
	checklist: [
		'Brand compliance checked',
		'Privacy notice and consent on the registration form',
		'Tracking links with UTM parameters set',
		'Captions on the live session and the recording',
		'Alt text on promotion images',
		'Accessibility checked for pages, slides and venue'
	]
};
