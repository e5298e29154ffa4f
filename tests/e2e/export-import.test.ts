import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from './fixtures.ts';
import { addCard, card, newPerson, waitForBoard, type Person } from './board-helpers.ts';

test.describe.configure({ mode: 'serial' });

let owner: Person;
let boardUrl = '';

test.beforeAll(async ({ browser }) => {
	test.setTimeout(120_000);
	owner = await newPerson(browser, 'Olivia Owner');
	await owner.page.getByLabel('New board').fill('Export me');
	await owner.page.getByRole('button', { name: 'Create board' }).click();
	await waitForBoard(owner.page);
	boardUrl = owner.page.url();
	await addCard(owner.page, 'Backlog', 'First post');
	await addCard(owner.page, 'In progress', 'Second post');
});

test.afterAll(async () => {
	await owner?.context.close();
});

/** Downloads a file through a link of the section and returns its text. */
async function download(page: Page, name: string): Promise<{ text: string; file: string }> {
	const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name }).click()]);
	return { text: await readFile((await file.path())!, 'utf8'), file: file.suggestedFilename() };
}

for (const width of [1280, 390]) {
	test(`settings at ${width} px: download the board and its cards, import a CSV with a mistake, then a good one`, async () => {
		const page = owner.page;
		await page.setViewportSize({ width, height: 900 });
		await page.goto(`${boardUrl}/settings`);
		const section = page.getByTestId('export-import');
		await section.scrollIntoViewIfNeeded();
		const box = await section.boundingBox();
		expect(box!.width).toBeLessThanOrEqual(width);

		const board = await download(page, 'Download board (JSON)');
		expect(board.file).toMatch(/^Export me \d{4}-\d{2}-\d{2}\.flowdeck\.json$/);
		expect(JSON.parse(board.text)).toMatchObject({ format: 'flowdeck-board', version: 1, board: { name: 'Export me' } });
		const cards = await download(page, 'Download cards (CSV)');
		expect(cards.text.split('\r\n')[0]).toBe('id,title,stage,description,labels,owners,due,target,blocked,archived,checklist,created');
		expect(cards.text).toContain(',First post,Backlog,');

		const tag = `w${width}`;
		const bad = `title,stage\r\nGood ${tag},Backlog\r\nTypo ${tag},Reveiw\r\n`;
		await page.getByLabel('CSV file').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
		await expect(page.getByTestId('csv-problems')).toContainText('Line 3: stage “Reveiw” does not exist on this board; stages are: Backlog, To do, In progress, Review, Done.');
		await expect(page.getByRole('alert')).toContainText('Nothing was imported');

		const good = `title,stage,labels,checklist\r\nGood ${tag},Backlog,Blog:sky,"[x] Outline\n[ ] Draft"\r\nAlso ${tag},Review,,\r\n`;
		await page.getByLabel('CSV file').setInputFiles({ name: 'good.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
		await expect(page.getByTestId('csv-preview')).toContainText('“good.csv” has 2 cards, all fine');
		await expect(page.getByTestId('csv-problems')).toHaveCount(0);
		await page.getByRole('button', { name: 'Import 2 cards' }).click();
		await expect(section.getByRole('status')).toContainText('Imported 2 cards from “good.csv”.');

		await page.goto(boardUrl);
		await waitForBoard(page);
		await expect(card(page, `Good ${tag}`)).toBeVisible();
		await expect(card(page, `Also ${tag}`)).toBeVisible();
		await expect(card(page, `Typo ${tag}`)).toHaveCount(0);
	});
}

test('a board export restores as a new board; a file from a newer Flowdeck is refused with its message', async () => {
	const page = owner.page;
	await page.setViewportSize({ width: 390, height: 900 });
	await page.goto(`${boardUrl}/settings`);
	const { text } = await download(page, 'Download board (JSON)');
	await page.getByRole('link', { name: 'Restore a board' }).click();
	await expect(page.getByRole('heading', { name: 'Restore a board' })).toBeVisible();
	const newer = JSON.stringify({ ...(JSON.parse(text) as object), version: 9 });
	await page.getByLabel(/Choose a \.json export/).setInputFiles({ name: 'newer.json', mimeType: 'application/json', buffer: Buffer.from(newer) });
	await expect(page.getByRole('alert')).toHaveText('This export comes from a newer Flowdeck (format version 9); this server reads up to 1. Upgrade this server first.');
	await page.getByLabel(/Choose a \.json export/).setInputFiles({ name: 'board.json', mimeType: 'application/json', buffer: Buffer.from(text) });
	await expect(page.getByTestId('restored')).toContainText('Restored “Export me”: 6 cards');
	await page.getByRole('button', { name: 'Open the board' }).click();
	await waitForBoard(page);
	await expect(page).not.toHaveURL(boardUrl);
	await expect(card(page, 'Good w390')).toBeVisible();
	await expect(card(page, 'First post')).toBeVisible();
});
