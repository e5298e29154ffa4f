import { expect, test } from './fixtures.ts';
import type { PortfolioAnswer } from '../../src/lib/server/portfolio/request.ts';
import { logIn, signUp, uniqueEmail } from './helpers.ts';
import { waitForApp } from './board-helpers.ts';

test('the demo user’s portfolio shows the board’s figures as the API gives them, and links to its stats', async ({ page }) => {
	await page.setViewportSize({ width: 1440, height: 900 });
	await logIn(page, 'demo@flowdeck.local', 'flowdeck-demo-2026');
	await page.getByRole('link', { name: 'Portfolio', exact: true }).click();
	await expect(page.getByRole('heading', { name: 'Portfolio' })).toBeVisible();
	const api = (await (await page.request.get('/api/portfolio')).json()) as PortfolioAnswer;
	const demo = api.boards.find((b) => b.name === 'Content publishing')!;
	expect(demo.throughput).toBeGreaterThan(0);
	const row = page.getByTestId('portfolio-boards').getByRole('row').filter({ hasText: 'Content publishing' });
	await expect(row.getByRole('cell').first()).toHaveText(String(demo.throughput));
	await expect(row.getByRole('cell').nth(2)).toHaveText(demo.automationShare === null ? '–' : `${Math.round(demo.automationShare * 100)} %`);

	// Compliance: the board's own process figure for the same dates, against its 90 % target.
	const review = (await (await page.request.get(`/api/boards/${demo.id}/process?from=${api.range.from}&to=${api.range.to}`)).json()) as { compliance: { rate: number; exits: number; target: number } };
	expect({ rate: demo.compliance, exits: demo.complianceExits, target: demo.complianceTarget }).toEqual({ rate: review.compliance.rate, exits: review.compliance.exits, target: 0.9 });
	await expect(row.getByRole('cell').nth(3)).toHaveText(`${Math.round(review.compliance.rate * 100)} % of ${review.compliance.exits} (target 90 %)`);
	// The demo's seed leaves a few open posts at risk of missing their publishing date.
	expect(demo.atRisk).toBeGreaterThan(0);
	await expect(row.getByRole('cell').nth(4)).toHaveText(String(demo.atRisk));
	const boards = page.getByTestId('portfolio-boards');
	await boards.getByRole('columnheader', { name: 'Compliance' }).getByRole('button').click();
	await expect(boards.getByRole('columnheader', { name: 'Compliance' })).toHaveAttribute('aria-sort', 'descending');

	// By template: the demo's team template, its one board, and the same exits and rate.
	const template = api.templates.find((t) => t.name === 'Team blog process')!;
	expect(template).toMatchObject({ boards: 1, exits: demo.complianceExits, compliance: demo.compliance });
	expect(template.stepsPlanned).toBeGreaterThan(0);
	expect(template.late).toBeGreaterThan(0);
	expect(template.late).toBeLessThan(template.withTarget / 2); // most posts come out on time
	const templateRow = page.getByTestId('portfolio-templates').getByRole('row').filter({ hasText: 'Team blog process' });
	await expect(templateRow.getByRole('cell')).toHaveText([
		'1',
		String(template.exits),
		`${Math.round(template.compliance! * 100)} %`,
		`${Math.round(template.stepOnTimeShare! * 100)} % of ${template.stepsPlanned}`,
		`${template.late} of ${template.withTarget}`,
		`${template.lateDaysP50!.toFixed(1)} d`
	]);
	await page.screenshot({ path: '/tmp/portfolio-desktop.png', fullPage: true });
	await page.setViewportSize({ width: 390, height: 844 });
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
	await page.screenshot({ path: '/tmp/portfolio-demo-phone.png', fullPage: true });
	await page.setViewportSize({ width: 1440, height: 900 });

	await row.getByRole('link', { name: 'Content publishing' }).click();
	await expect(page).toHaveURL(new RegExp(`/b/${demo.id}/stats\\?from=${api.range.from}&to=${api.range.to}$`));
	await expect(page.getByTestId('headline')).toContainText(`${demo.withDue} with due dates`);
});

test('a new user’s portfolio: empty, then their own boards only, sortable from the keyboard; a bad range is refused', async ({ page }) => {
	await signUp(page, 'Pia Portfolio', uniqueEmail('pia'));
	await page.goto('/portfolio');
	await expect(page.getByText('No boards yet')).toBeVisible();
	for (const name of ['Zeta launch', 'alpha blog']) {
		await page.goto('/');
		await page.getByLabel('New board').fill(name);
		await page.getByRole('button', { name: 'Create board' }).click();
		await expect(page.getByTestId('board-name')).toHaveText(name);
	}
	await page.goto('/portfolio');
	await waitForApp(page);
	const table = page.getByTestId('portfolio-boards');
	const names = () => table.locator('tbody th').allInnerTexts();
	// Only Pia's boards: the demo board is not hers.
	expect(await names()).toEqual(['alpha blog', 'Zeta launch']);
	const boardHeader = table.getByRole('columnheader', { name: 'Board' });
	await expect(boardHeader).toHaveAttribute('aria-sort', 'ascending');
	await boardHeader.getByRole('button').focus();
	await page.keyboard.press('Enter');
	await expect(boardHeader).toHaveAttribute('aria-sort', 'descending');
	expect(await names()).toEqual(['Zeta launch', 'alpha blog']);
	await page.keyboard.press('Tab');
	await page.keyboard.press('Space');
	await expect(table.getByRole('columnheader', { name: 'Finished' })).toHaveAttribute('aria-sort', 'descending');
	await expect(boardHeader).toHaveAttribute('aria-sort', 'none');
	await expect(page.getByTestId('no-handoffs')).toBeVisible();
	// Boards made from scratch come from no template: the table says so instead of being empty.
	await expect(page.getByTestId('no-templates')).toBeVisible();

	// On a phone the table scrolls sideways under the board's name, which stays put.
	await page.setViewportSize({ width: 390, height: 844 });
	const scroller = table;
	expect(await scroller.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
	const nameCell = table.locator('tbody th').first();
	const before = (await nameCell.boundingBox())!.x;
	await scroller.evaluate((el) => el.scrollBy(200, 0));
	await expect.poll(() => scroller.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
	expect((await nameCell.boundingBox())!.x).toBe(before);
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
	await page.screenshot({ path: '/tmp/portfolio-phone.png', fullPage: true });

	// A date that does not exist: the API says which and computes nothing; the page says so and shows the default range.
	const refused = await page.request.get('/api/portfolio?from=2026-02-30');
	expect(refused.status()).toBe(400);
	expect(((await refused.json()) as { message: string }).message).toBe('"from" must be a real date written like 2026-11-22; got "2026-02-30".');
	await page.goto('/portfolio?from=2026-11-30&to=2026-11-01');
	await expect(page.getByRole('alert')).toContainText('"from" (2026-11-30) must be on or before "to" (2026-11-01). Showing the last 30 days instead.');
});

test('the portfolio API wants a signed-in user', async ({ request }) => {
	const res = await request.get('/api/portfolio');
	expect(res.status()).toBe(401);
});
