import { approval, doneStage, stage } from '../stage-builder.ts';
import { TEMPLATE_FORMAT, TEMPLATE_VERSION, type ProcessTemplate } from '../template.ts';

/**
 * The content team's blog process, as they wrote it: eight steps counted in calendar days before the
 * publishing day (the card's target date), between an ideas backlog and Done.
 */
export const blogPostTemplate: ProcessTemplate = {
	format: TEMPLATE_FORMAT,
	version: TEMPLATE_VERSION,
	name: 'Blog post',
	description:
		'From idea to a published, promoted post. Set the publishing day as the card’s target date: each step is due a fixed number of calendar days before it.',
	teamRoles: ['Content strategist', 'SEO strategist', 'Blog writer', 'Marketing stakeholder', 'Graphic designer', 'Social media manager'],
	timeUnit: 'calendar',
	stages: [
		stage({
			key: 'ideas',
			name: 'Ideas backlog',
			kind: 'queue',
			exitCriteria: ['Someone has picked the idea up and set a publishing date']
		}),
		stage({
			key: 'generate-idea',
			name: 'Generate idea',
			kind: 'active',
			ownerRole: 'Content strategist',
			offset: 30,
			wipLimit: 5,
			exitCriteria: [
				'The idea serves a goal in the content strategy and a named audience',
				'Working title and angle are on the card',
				'Not already covered by an existing post (or this one replaces it)'
			]
		}),
		stage({
			key: 'keyword-research',
			name: 'Keyword research',
			kind: 'active',
			ownerRole: 'SEO strategist',
			offset: 25,
			exitCriteria: [
				'Primary keyword and 3–5 secondary keywords chosen, with search volume',
				'Search intent and the top-ranking competing articles noted',
				'Internal links to and from existing posts listed'
			]
		}),
		stage({
			key: 'outline',
			name: 'Outline',
			kind: 'active',
			ownerRole: 'Blog writer',
			offset: 20,
			wipLimit: 3,
			exitCriteria: [
				'Headings match the search intent and cover the keywords',
				'Sources, data and experts to quote are listed',
				'Call to action chosen'
			]
		}),
		// The team's table says "SEO strategist and marketing stakeholders": the SEO strategist owns the step and
		// signs off the search side (an exit criterion); one marketing stakeholder approves the messaging.
		stage({
			key: 'approve-outline',
			name: 'Approve outline',
			kind: 'wait',
			ownerRole: 'SEO strategist',
			offset: 15,
			exitCriteria: ['SEO strategist approved the keywords and structure', 'Messaging approved by a marketing stakeholder'],
			approval: approval({ role: 'Marketing stakeholder', quorum: 1, changesTo: 'outline', rejectTo: 'ideas' })
		}),
		stage({
			key: 'final-draft',
			name: 'Final draft',
			kind: 'active',
			ownerRole: 'Blog writer',
			offset: 10,
			wipLimit: 3,
			exitCriteria: [
				'Edited and proofread; brand voice and style guide followed',
				'Primary keyword in the title, H1, meta description and URL slug',
				'Facts, figures and quotes checked against their sources',
				'Internal and external links work'
			]
		}),
		stage({
			key: 'images',
			name: 'Images or infographics',
			kind: 'active',
			ownerRole: 'Graphic designer',
			offset: 5,
			wipLimit: 4,
			exitCriteria: [
				'Images on brand, and licensed (source recorded)',
				'Alt text on every image; charts have their data in the text',
				'Images compressed and sized for the web'
			]
		}),
		stage({
			key: 'social-promotion',
			name: 'Schedule social promotion',
			kind: 'active',
			ownerRole: 'Social media manager',
			offset: 4,
			exitCriteria: [
				'A post written for each channel, with an image',
				'Tracking links with UTM parameters set',
				'Posts scheduled for publishing day'
			]
		}),
		stage({
			key: 'publish',
			name: 'Publish and review the live version',
			kind: 'active',
			ownerRole: 'Blog writer',
			offset: 0,
			exitCriteria: [
				'Live page checked on desktop and mobile',
				'Meta title, description and social preview checked',
				'Links, images and alt text checked on the live page',
				'Accessibility checked: headings in order, descriptive link text, contrast'
			]
		}),
		doneStage()
	],
	labels: [
		{ name: 'SEO', color: 'sky' },
		{ name: 'Thought leadership', color: 'indigo' },
		{ name: 'Product', color: 'emerald' },
		{ name: 'Evergreen', color: 'amber' },
		{ name: 'Guest post', color: 'fuchsia' },
		{ name: 'Urgent', color: 'red' }
	],
	checklist: [
		'Brand voice and style guide followed',
		'Spelling and grammar checked',
		'Primary keyword in the title, H1 and meta description',
		'Alt text on every image',
		'All links work',
		'Call to action included',
		'UTM parameters on every promotion link',
		'Accessibility checked: headings, link text, contrast'
	]
};
