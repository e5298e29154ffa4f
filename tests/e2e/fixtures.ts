import { test as base, expect, type Browser, type BrowserContext } from '@playwright/test';

export { expect };
export type { Page } from '@playwright/test';

// Chromium reports a refusal in the console ("… violates the following Content Security Policy directive …");
// the init script also turns every `securitypolicyviolation` event into such a line, so none goes unnoticed.
const CSP_MARK = 'Content Security Policy';
const REPORT_VIOLATIONS = `document.addEventListener('securitypolicyviolation', (e) => {
	console.error('${CSP_MARK} violation: ' + e.effectiveDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber);
}, true);`;

/**
 * Playwright's `test`, failing any test whose pages log a Content-Security-Policy violation — in the default
 * context and in every context the test opens with `browser.newContext()`. A test that provokes one on purpose
 * reads (and empties) the list as `cspViolations`.
 */
export const test = base.extend<{ cspViolations: string[] }>({
	cspViolations: [
		async ({ browser, context }, use) => {
			const violations: string[] = [];
			const watch = async (ctx: BrowserContext) => {
				ctx.on('console', (msg) => {
					if (msg.text().includes(CSP_MARK)) violations.push(`${msg.location().url}: ${msg.text()}`);
				});
				await ctx.addInitScript(REPORT_VIOLATIONS);
			};
			await watch(context);
			const original = browser.newContext.bind(browser);
			(browser as { newContext: Browser['newContext'] }).newContext = async (options) => {
				const ctx = await original(options);
				await watch(ctx);
				return ctx;
			};
			try {
				await use(violations);
			} finally {
				(browser as { newContext: Browser['newContext'] }).newContext = original;
			}
			expect(violations, 'Content-Security-Policy violations in the browser console').toEqual([]);
		},
		{ auto: true }
	]
});
