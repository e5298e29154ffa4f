import { expect, test } from './fixtures.ts';
import { addCard, boardWithPeople, card, moveWithMenu } from './board-helpers.ts';

test('typing a filter on the stats tab restricts the figures to the matching cards and puts it in the URL; a mistake is marked and changes nothing', async ({ browser }) => {
	test.setTimeout(90_000);
	const { owner, boardUrl } = await boardWithPeople(browser, 'Stats filter board', []);
	const page = owner.page;
	for (const title of ['Tagged post', 'Plain post']) await addCard(page, 'To do', title);
	await card(page, 'Tagged post').click();
	const dialog = page.getByRole('dialog');
	await dialog.getByLabel('New label').fill('x');
	await dialog.getByLabel('New label').press('Enter');
	await expect(dialog.getByText('x (')).toBeVisible();
	await page.keyboard.press('Escape');
	for (const title of ['Tagged post', 'Plain post']) await moveWithMenu(page, title, 'Done');
	await expect(card(page, 'Plain post')).toHaveCount(1);

	// The history is written within ~100 ms of each move; the tab reads it when it loads.
	await expect(async () => {
		await page.goto(`${boardUrl}/stats`);
		await expect(page.getByTestId('slowest').locator('li')).toHaveCount(2, { timeout: 1_000 });
	}).toPass({ timeout: 15_000 });
	await expect(page.getByTestId('stats-scope')).toContainText('Figures for every card');

	await page.getByTestId('stats-filter').fill('label:x');
	await expect(page).toHaveURL(/[?&]q=label%3Ax/);
	await expect(page.getByTestId('stats-scope')).toHaveText(/Figures for 1 card matching label:x/);
	await expect(page.getByTestId('slowest').locator('li')).toHaveCount(1);
	await expect(page.getByTestId('slowest')).toContainText('Tagged post');

	// A half-typed or wrong filter is marked where it is wrong; the figures and the URL keep the last good one.
	await page.getByTestId('stats-filter').fill('label:x owner:@nobody');
	const mistake = page.getByTestId('stats-filter-error');
	await expect(mistake).toContainText('No one called “@nobody” is on this board.');
	await expect(mistake.locator('mark')).toHaveText('owner:@nobody');
	await expect(page.getByTestId('stats-filter')).toHaveAttribute('aria-invalid', 'true');
	await expect(page).toHaveURL(/[?&]q=label%3Ax$/);
	await expect(page.getByTestId('slowest').locator('li')).toHaveCount(1);

	// The date range keeps the filter; the CSV link carries it too.
	await page.getByTestId('stats-filter').fill('label:x');
	await page.getByRole('button', { name: 'Show' }).click();
	await expect(page).toHaveURL(/[?]q=label%3Ax&from=\d{4}-\d{2}-\d{2}&to=/);
	await expect(page.getByTestId('stats-scope')).toHaveText(/Figures for 1 card matching label:x/);
	await expect(page.getByRole('link', { name: 'Lead & cycle CSV' })).toHaveAttribute('href', /q=label%3Ax/);

	// A link with a bad filter says so and shows every card's figures.
	await page.goto(`${boardUrl}/stats?q=lable:x`);
	await expect(page.getByTestId('stats-filter-error')).toContainText('Unknown field “lable”');
	await expect(page.getByTestId('stats-filter-error')).toContainText('The figures below count every card.');
	await expect(page.getByTestId('slowest').locator('li')).toHaveCount(2);

	// On a phone the filter fits the screen.
	await page.setViewportSize({ width: 390, height: 800 });
	await page.goto(`${boardUrl}/stats?q=label:x`);
	await expect(page.getByTestId('stats-scope')).toHaveText(/Figures for 1 card matching label:x/);
	expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(390);
	await page.screenshot({ path: '/tmp/stats-filter-390.png' });
	await owner.context.close();
});
