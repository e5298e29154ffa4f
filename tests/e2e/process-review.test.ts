import { expect, test, type Page } from './fixtures.ts';
import { logIn } from './helpers.ts';
import { newPerson, openStageSettings, waitForBoard } from './board-helpers.ts';

/** Opens the demo board's stats tab (its owner: the demo user) and returns the board id. */
async function demoStats(page: Page): Promise<string> {
	await logIn(page, 'demo@flowdeck.local', 'flowdeck-demo-2026');
	await page.getByRole('link', { name: /Content publishing/ }).click();
	await waitForBoard(page);
	const boardId = new URL(page.url()).pathname.split('/')[2]!;
	await page.getByRole('link', { name: 'Stats' }).click();
	await expect(page.getByTestId('process-section')).toBeVisible();
	return boardId;
}

test('the Process section: compliance against a target the owner sets, and a suggested allowance applied with one click', async ({ page, browser }) => {
	const errors: string[] = [];
	page.on('pageerror', (e) => errors.push(String(e)));
	const boardId = await demoStats(page);
	const compliance = page.getByTestId('process-compliance');
	await expect(compliance.getByTestId('chart-compliance').locator('svg').first()).toBeVisible();
	const api = (await (await page.request.get(`/api/boards/${boardId}/process`)).json()) as {
		compliance: { rate: number; exits: number; clean: number; target: number; met: boolean; sentBack: number; criteriaMissed: number };
		template: { name: string } | null;
	} & Record<string, unknown>;
	// The demo comes from its team's template, with a 90 % target, and its posts were sent back and missed a criterion.
	expect(api.template?.name).toBe('Team blog process');
	expect(api.compliance.target).toBe(0.9);
	expect(api.compliance.sentBack).toBeGreaterThan(0);
	expect(api.compliance.criteriaMissed).toBeGreaterThan(0);
	await expect(compliance).toContainText(`Target: 90 % (${api.compliance.met ? 'met' : 'not met'})`);
	// One answer for programs: every part the issue names.
	for (const part of ['compliance', 'planVsActual', 'missedDeadlines', 'risk', 'efficiency', 'automation']) expect(api, part).toHaveProperty(part);
	expect(api.risk).toHaveProperty('cards');
	expect(api.missedDeadlines).toHaveProperty('late');
	await expect(compliance.getByTestId('compliance-figure')).toHaveText(`${Math.round(api.compliance.rate * 100)} %`);
	await expect(compliance).toContainText(`${api.compliance.clean} of ${api.compliance.exits} stage exits were clean`);
	await expect(compliance.getByTestId('compliance-stages')).toContainText('Review');

	await compliance.getByLabel('Compliance target (%)').fill('10');
	await compliance.getByRole('button', { name: 'Save target' }).click();
	await expect(compliance).toContainText('Target: 10 % (met)');

	// The demo's steps are due 6, 4, 2, 1 and 0 days before the publishing date: Drafting is allowed 2 days.
	const plan = page.getByTestId('process-plan');
	const drafting = plan.getByTestId('plan-steps').locator('tr').filter({ hasText: 'Drafting' });
	await expect(drafting.locator('td').nth(3)).toHaveText('2 d');
	await page.setViewportSize({ width: 1440, height: 900 });
	await page.getByTestId('process-section').screenshot({ path: '/tmp/process-review-desktop.png' });
	// Move Outline to 40 days before the target in the stage's settings: Drafting now has 36 days.
	await page.getByRole('link', { name: 'Board' }).click();
	await waitForBoard(page);
	const setOutlineOffset = async (offset: string) => {
		const dialog = await openStageSettings(page, 'Outline');
		const step = dialog.getByTestId('step-settings');
		await step.getByLabel('Due, in days before the target date').fill(offset);
		await step.getByLabel('Calendar days').check();
		await step.getByRole('button', { name: 'Save step' }).click();
		await expect(step.getByRole('status')).toHaveText('Step saved.');
		await dialog.getByRole('button', { name: 'Close' }).click();
	};
	await setOutlineOffset('40');
	await page.getByRole('link', { name: 'Stats' }).click();
	await expect(drafting.locator('td').nth(3)).toHaveText('36 d');
	// Drafting takes far less than 36 days at p85: the suggestion names the p85, and one click applies it.
	const suggestion = await drafting.getByTestId('suggestion').innerText();
	const days = Number(/change it to (\d+)\?/.exec(suggestion)![1]);
	expect(days).toBeLessThan(36);
	await drafting.getByRole('button', { name: `Change to ${days}` }).click();
	await expect(plan.getByRole('status')).toContainText(`“Drafting” now allows ${days} days`);
	await expect(drafting.locator('td').nth(3)).toHaveText(`${days} d`);
	await expect(drafting.getByTestId('suggestion')).toHaveCount(0);

	// A phone: the section fits, its tables scroll inside their cards (hidden labels too: they are placed in them).
	await page.setViewportSize({ width: 390, height: 844 });
	await expect(page.getByTestId('chart-compliance').locator('svg').first()).toBeVisible();
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
	await page.getByTestId('process-section').screenshot({ path: '/tmp/process-review-phone.png' });
	await page.setViewportSize({ width: 1440, height: 900 });

	// Someone who is not a member gets "not found" from the API; so do their writes.
	const stranger = await newPerson(browser, 'Stranger');
	expect((await stranger.page.request.get(`/api/boards/${boardId}/process`)).status()).toBe(404);
	const origin = new URL(page.url()).origin;
	expect((await stranger.page.request.put(`/api/boards/${boardId}/process/target`, { data: { percent: 50 }, headers: { origin } })).status()).toBe(404);
	await stranger.context.close();

	// Put the demo back as the other tests expect it: its 90 % target, and Drafting allowed 2 days again (Outline 6 days
	// before the target), on the board and in the team template the demo user saved, which applying changed too.
	expect((await page.request.put(`/api/boards/${boardId}/process/target`, { data: { percent: 90 }, headers: { origin } })).status()).toBe(200);
	const draftingId = (api.planVsActual as { steps: { stageId: string; name: string }[] }).steps.find((s) => s.name === 'Drafting')!.stageId;
	const restored = await page.request.post(`/api/boards/${boardId}/process/allowance`, { data: { stageId: draftingId, days: 2 }, headers: { origin } });
	expect(restored.status()).toBe(200);
	expect(await restored.json()).toMatchObject({ template: { name: 'Team blog process', updated: true } });
	await page.reload();
	await expect(drafting.locator('td').nth(3)).toHaveText('2 d');
	expect(errors).toEqual([]);
});
