import { expect, test } from './fixtures.ts';
import type { PortfolioAnswer } from '../../src/lib/server/portfolio/request.ts';
import { logIn, signUp, uniqueEmail } from './helpers.ts';
import { waitForApp } from './board-helpers.ts';

test('the demo user’s portfolio shows the board’s figures as the API gives them, and links to its stats', async ({ page }) => {
	await logIn(page, 'demo@flowdeck.local', 'flowdeck-demo-2026');
	await page.getByRole('link', { name: 'Portfolio', exact: true }).click();
	await expect(page.getByRole('heading', { name: 'Portfolio' })).toBeVisible();
	const api = (await (await page.request.get('/api/portfolio')).json()) as PortfolioAnswer;
	const demo = api.boards.find((b) => b.name === 'Content publishing')!;
	expect(demo.throughput).toBeGreaterThan(0);
	const row = page.getByTestId('portfolio-boards').getByRole('row').filter({ hasText: 'Content publishing' });
	await expect(row.getByRole('cell').first()).toHaveText(String(demo.throughput));
	await expect(row.getByRole('cell').nth(2)).toHaveText(demo.automationShare === null ? '–' : `${Math.round(demo.automationShare * 100)} %`);
	await page.screenshot({ path: '/tmp/portfolio-desktop.png', fullPage: true });
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
