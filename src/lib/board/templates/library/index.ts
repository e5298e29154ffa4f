import type { ProcessTemplate } from '../template.ts';
import { blogPostTemplate } from './blog-post.ts';
import { campaignTemplate } from './campaign.ts';
import { customerStoryTemplate } from './customer-story.ts';
import { emailNewsletterTemplate } from './email-newsletter.ts';
import { leadHandoffTemplate } from './lead-handoff.ts';
import { productLaunchTemplate } from './product-launch.ts';
import { webinarEventTemplate } from './webinar-event.ts';

/** A built-in template and the id it is known by (stable: boards and links may refer to it). */
export interface LibraryEntry {
	id: string;
	template: ProcessTemplate;
}

const entries: LibraryEntry[] = [
	{ id: 'blog-post', template: blogPostTemplate },
	{ id: 'campaign', template: campaignTemplate },
	{ id: 'product-launch', template: productLaunchTemplate },
	{ id: 'webinar-event', template: webinarEventTemplate },
	{ id: 'email-newsletter', template: emailNewsletterTemplate },
	{ id: 'lead-handoff', template: leadHandoffTemplate },
	{ id: 'customer-story', template: customerStoryTemplate }
];

/** The built-in templates' ids and names, in the order the template picker offers them. */
export const LIBRARY_TEMPLATES: readonly { id: string; name: string; description: string }[] = entries.map(({ id, template }) => ({
	id,
	name: template.name,
	description: template.description
}));

/** A fresh copy of the built-in template `id` (callers may change it freely), or undefined for an unknown id. */
export function libraryTemplate(id: string): ProcessTemplate | undefined {
	const entry = entries.find((e) => e.id === id);
	return entry ? structuredClone(entry.template) : undefined;
}
