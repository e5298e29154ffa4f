import { expect, test } from './fixtures.ts';
import { addCard, card, newPerson, waitForApp, waitForBoard, type Person } from './board-helpers.ts';

test.describe.configure({ mode: 'serial' });

let owner: Person;
let boardUrl = '';

test.beforeAll(async ({ browser }) => {
	test.setTimeout(90_000);
	owner = await newPerson(browser, 'Sasha Searcher');
	const page = owner.page;
	await page.getByLabel('New board').fill('Events');
	await page.getByRole('button', { name: 'Create board' }).click();
	await waitForBoard(page);
	boardUrl = page.url();
	await addCard(page, 'To do', 'Quarterly webinar');
	await addCard(page, 'To do', 'Press kit');
	await addCard(page, 'To do', '<img src=x onerror="window.hacked=1"> webinar slides');
});

test.afterAll(async () => {
	await owner?.context.close();
});

test('/ focuses the search box; typing finds cards with the words marked; Enter opens the card; symbols get a hint', async () => {
	const page = owner.page;
	await page.goto('/');
	await waitForApp(page);
	await page.keyboard.press('/');
	const box = page.getByTestId('search-input');
	await expect(box).toBeFocused();
	await box.pressSequentially('webin');
	const results = page.getByTestId('search-result');
	await expect(results).toHaveCount(2);
	await expect(results.first().locator('mark')).toHaveText('webinar');
	// A title holding markup is shown as text, its words marked, nothing run.
	const hostile = results.filter({ hasText: '<img src=x' });
	await expect(hostile.locator('mark')).toHaveText('webinar');
	await expect(hostile.locator('img')).toHaveCount(0);
	expect(await page.evaluate(() => (window as unknown as { hacked?: number }).hacked)).toBeUndefined();

	await box.press('ArrowDown');
	await box.press('ArrowUp');
	const chosen = (await results.first().innerText()).includes('Quarterly') ? 'Quarterly webinar' : '<img src=x onerror="window.hacked=1"> webinar slides';
	await box.press('Enter');
	await expect(page).toHaveURL(/\/b\/[^/?]+\?card=/);
	await waitForBoard(page);
	await expect(page.getByTestId('card-dialog')).toContainText(chosen);
	await page.keyboard.press('Escape');
	await expect(page.getByTestId('card-dialog')).toHaveCount(0);

	// On the open board: a result on this board opens its card without leaving the page.
	await page.keyboard.press('/');
	await box.fill('press');
	await expect(results).toHaveCount(1);
	await box.press('Enter');
	await expect(page.getByTestId('card-dialog')).toContainText('Press kit');
	await page.keyboard.press('Escape');

	await page.keyboard.press('/');
	await box.fill('!!!');
	await expect(page.getByTestId('search-hint')).toHaveText('Search for words or numbers: symbols alone match nothing.');
	await box.press('Escape');
	await expect(page.getByTestId('search-hint')).toHaveCount(0);
});

test('Ctrl+K opens the palette: a card found by search opens, an action goes to the board’s calendar', async () => {
	const page = owner.page;
	await page.goto(boardUrl);
	await waitForBoard(page);
	await page.keyboard.press('Control+k');
	const palette = page.getByTestId('command-palette');
	await expect(palette).toBeVisible();
	const input = page.getByTestId('palette-input');
	await expect(input).toBeFocused();
	await input.pressSequentially('quarterly');
	const item = palette.getByTestId('palette-item').filter({ hasText: 'Quarterly webinar' });
	await expect(item).toBeVisible();
	await expect(palette.getByTestId('palette-item')).toHaveCount(1);
	await input.press('Enter');
	await expect(palette).toHaveCount(0);
	await expect(page.getByTestId('card-dialog')).toContainText('Quarterly webinar');
	await page.keyboard.press('Escape');

	await page.keyboard.press('Control+k');
	await page.getByTestId('palette-input').fill('calendar');
	await page.getByTestId('palette-input').press('Enter');
	await expect(page).toHaveURL(/\/calendar$/);
});

test('on a phone the search is an icon that opens a full-width bar', async ({ browser }) => {
	const context = await browser.newContext({ viewport: { width: 390, height: 800 }, storageState: await owner.context.storageState() });
	const page = await context.newPage();
	await page.goto('/');
	await waitForApp(page);
	// The header keeps to one line: search icon, bell, account and sign-out beside the logo.
	const logOut = page.getByRole('button', { name: 'Log out' });
	expect((await logOut.boundingBox())!.height).toBeLessThan(40);
	expect((await logOut.boundingBox())!.x + (await logOut.boundingBox())!.width).toBeLessThanOrEqual(390);
	const box = page.getByTestId('search-input');
	await expect(box).toBeHidden();
	await page.getByRole('button', { name: 'Search cards' }).click();
	await expect(box).toBeFocused();
	await box.fill('press');
	const result = page.getByTestId('search-result');
	await expect(result).toHaveCount(1);
	const bounds = await result.boundingBox();
	expect(bounds!.x).toBeGreaterThanOrEqual(0);
	expect(bounds!.x + bounds!.width).toBeLessThanOrEqual(390);
	await result.click();
	await waitForBoard(page);
	await expect(page.getByTestId('card-dialog')).toContainText('Press kit');
	await expect(card(page, 'Press kit')).toBeVisible();
	await context.close();
});
