import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { expect, test } from './fixtures.ts';
import { card, newPerson, stage, waitForBoard, type Person } from './board-helpers.ts';

test.describe.configure({ mode: 'serial' });

const FIXTURE = resolve(import.meta.dirname, '../fixtures/trello/marketing-board.json');
let maya: Person;

test.beforeAll(async ({ browser }) => {
	// The importer is one of the Trello board's members (matched by name); Leo and Priya are nobody she works with here.
	maya = await newPerson(browser, 'Maya Lopez');
});

test.afterAll(async () => {
	await maya?.context.close();
});

test('a Trello export: the dry run, a stage kind changed, the import with progress, the board with its cards', async () => {
	const page = maya.page;
	await page.goto('/');
	await page.getByRole('link', { name: 'Import from Trello' }).click();
	await expect(page.getByRole('heading', { name: 'Import a Trello board' })).toBeVisible();

	await page.getByLabel(/Trello export/).setInputFiles(FIXTURE);
	const dry = page.getByTestId('dry-run');
	await expect(dry.getByRole('heading', { name: '“Marketing content” will become a new board' })).toBeVisible();
	await expect(page.getByTestId('dry-counts')).toContainText('13 cards, and 3 archived');
	await expect(page.getByTestId('dry-counts')).toContainText('21 moves of history from 39 actions');
	// Lists → stages, each with its guessed kind; the closed list says its cards come in archived.
	await expect(dry.getByLabel('Stage kind for Published')).toHaveValue('done');
	await expect(dry.getByLabel('Stage kind for Ideas')).toHaveValue('queue');
	await expect(dry.getByRole('row', { name: /Old campaigns/ })).toContainText('Archived in Trello');
	await dry.getByLabel('Stage kind for Old campaigns').selectOption('done');
	await expect(page.getByTestId('dry-labels')).toContainText('Video');
	await expect(page.getByTestId('dry-labels')).toContainText('purple_dark → fuchsia');
	// Maya is herself; the two others are listed unmapped.
	await expect(dry.getByLabel('Flowdeck person for Maya Lopez')).toHaveValue(/.+/);
	await expect(page.getByTestId('unmapped')).toHaveText(/Not mapped: Leo Chen, Priya Raman\./);
	const losses = page.getByTestId('dry-losses');
	await expect(losses).toContainText('Power-up data: 2');
	await expect(losses).toContainText('Custom fields: 1');
	await expect(losses).toContainText('Files stored at Trello: 1');
	await expect(losses).toContainText('Cards with incomplete history: 2');

	// Keyboard: the import button is reached and pressed without a mouse.
	await page.getByTestId('import-run').focus();
	await page.keyboard.press('Enter');
	await expect(page.getByTestId('import-done')).toContainText('“Marketing content” is ready');
	await page.getByRole('link', { name: 'Open the board' }).click();
	await waitForBoard(page);
	await expect(page.getByTestId('board-name')).toHaveText('Marketing content');
	await expect(card(page, 'SEO guide for spring')).toBeVisible();
	await expect(stage(page, 'Published').getByTestId('card-title')).toHaveText(['SEO guide for spring', 'Customer story: Acme', 'Case study: Globex', 'Launch teaser']);
	await expect(stage(page, 'Writing').getByTestId('card-title')).toHaveText(['Product launch post', 'Newsletter #12']);
	// Archived cards are not on the board.
	await expect(card(page, 'Holiday campaign teaser')).toHaveCount(0);
	// A finished card's past due date is a plain date; an open one's is overdue.
	await expect(card(page, 'SEO guide for spring').getByTestId('due')).toHaveText(/^Due /);
	await expect(card(page, 'Product launch post').getByTestId('due')).toHaveText(/^Overdue · /);
});

test('the same export again is noticed; a truncated file is refused and nothing is created', async () => {
	const page = maya.page;
	await page.goto('/import/trello');
	await page.getByLabel(/Trello export/).setInputFiles(FIXTURE);
	const notice = page.getByTestId('already-imported');
	await expect(notice).toContainText('You imported this export on');
	await expect(notice.getByRole('link', { name: 'Marketing content' })).toHaveAttribute('href', /^\/b\//);
	await notice.getByRole('button', { name: 'Cancel' }).click();
	await expect(page.getByTestId('dry-run')).toHaveCount(0);

	const text = await readFile(FIXTURE, 'utf8');
	await page.getByLabel(/Trello export/).setInputFiles({ name: 'cut.json', mimeType: 'application/json', buffer: Buffer.from(text.slice(0, 5000)) });
	await expect(page.getByTestId('import-problem')).toContainText('The file ends too early: it looks cut off after 5,000 characters');
	await page.goto('/');
	await expect(page.getByRole('list', { name: 'Boards' }).getByRole('listitem')).toHaveCount(1);
});

test('on a phone (390 px): the dry run fits the width and the second copy imports', async ({ browser }) => {
	const context = await browser.newContext({ viewport: { width: 390, height: 844 }, storageState: await maya.context.storageState() });
	const page = await context.newPage();
	try {
		await page.goto('/import/trello');
		await page.getByLabel(/Trello export/).setInputFiles(FIXTURE);
		await expect(page.getByTestId('dry-run')).toBeVisible();
		const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
		expect(overflow).toBeLessThanOrEqual(0);
		await page.screenshot({ path: 'test-results/trello-dry-run-phone.png', fullPage: true });
		await page.getByRole('button', { name: 'Import a second copy' }).click();
		await expect(page.getByTestId('import-done')).toContainText('“Marketing content (copy)” is ready');
		await page.getByRole('link', { name: 'Open the board' }).click();
		await waitForBoard(page);
		await expect(page.getByTestId('board-name')).toHaveText('Marketing content (copy)');
	} finally {
		await context.close();
	}
});
