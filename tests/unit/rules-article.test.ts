import { describe, expect, it } from 'vitest';
import { withArticle } from '../../src/lib/board/rules/article.ts';
import { describeCondition } from '../../src/lib/board/rules/describe.ts';

describe('the article before a role name', () => {
	it('goes by the first sound: vowel letters, and capitals read letter by letter', () => {
		expect(withArticle('SEO strategist')).toBe('an SEO strategist');
		expect(withArticle('UX designer')).toBe('a UX designer');
		expect(withArticle('editor')).toBe('an editor');
		expect(withArticle('Art director')).toBe('an Art director');
		expect(withArticle('Designer')).toBe('a Designer');
		expect(withArticle('Sales lead')).toBe('a Sales lead');
	});

	it('is used in rule summaries', () => {
		const names = { stage: () => 'Review', role: () => 'SEO strategist', user: () => 'Sam', board: () => 'Other' };
		expect(describeCondition({ kind: 'owner_holds_role', roleId: 'r1' }, names)).toBe('owned by an SEO strategist');
	});
});
