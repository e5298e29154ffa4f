import type { Locator } from '@playwright/test';
import { expect, test, type Page } from './fixtures.ts';
import { addCard, card, newPerson, openStageSettings, stage, waitForBoard, type Person } from './board-helpers.ts';
import { signUpHere, uniqueEmail } from './helpers.ts';

// What a person sees on a laptop and on a phone: nothing wider than the screen, dialogs inside it, whole stage names,
// initials from the first and last name, dates in the reader's own format.
test.describe.configure({ mode: 'serial' });

const LAPTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };
const DEFAULT_STAGES = ['Backlog', 'To do', 'In progress', 'Review', 'Done'];

let mary: Person;
let cher: Person;
let boardUrl: string;

test.beforeAll(async ({ browser }) => {
	test.setTimeout(120_000);
	mary = await newPerson(browser, 'Mary Ann Smith');
	await mary.page.getByLabel('New board').fill('Layout check');
	await mary.page.getByRole('button', { name: 'Create board' }).click();
	await expect(mary.page.getByTestId('board-name')).toHaveText('Layout check');
	boardUrl = mary.page.url();
	await mary.page.goto(`${boardUrl}/settings`);
	await mary.page.getByLabel('Role', { exact: true }).selectOption('editor');
	await mary.page.getByRole('button', { name: 'Create invite link' }).click();
	const link = await mary.page.getByTestId('invite-url').inputValue();
	// Cher reads German: her dates follow her browser's language.
	const context = await browser.newContext({ locale: 'de-DE', timezoneId: 'Europe/Berlin' });
	const page = await context.newPage();
	await page.goto(link);
	await page.getByRole('link', { name: 'Create an account' }).click();
	await signUpHere(page, 'Cher', uniqueEmail('cher'));
	await page.getByRole('button', { name: 'Join board' }).click();
	await expect(page.getByTestId('board-name')).toHaveText('Layout check');
	cher = { context, page, name: 'Cher' };
	await mary.page.goto(boardUrl);
	for (const person of [mary, cher]) await waitForBoard(person.page);
});

test.afterAll(async () => {
	for (const person of [mary, cher]) await person?.context.close();
});

/** The page's width beyond the window: 0 when nothing makes the page scroll sideways. */
async function sidewaysOverflow(page: Page): Promise<number> {
	return page.evaluate(() => document.scrollingElement!.scrollWidth - window.innerWidth);
}

/** Asserts that an element's box lies inside the window. */
async function expectInsideWindow(page: Page, element: Locator): Promise<void> {
	const box = await element.boundingBox();
	const size = page.viewportSize()!;
	expect(box, 'the element is on screen').not.toBeNull();
	expect(box!.x).toBeGreaterThanOrEqual(0);
	expect(box!.y).toBeGreaterThanOrEqual(0);
	expect(box!.x + box!.width).toBeLessThanOrEqual(size.width);
	expect(box!.y + box!.height).toBeLessThanOrEqual(size.height);
}

test('at 1440×900 the five default stages sit side by side inside the window, and the page does not scroll', async () => {
	const { page } = mary;
	await page.setViewportSize(LAPTOP);
	await expect(page.getByTestId('stage-name')).toHaveText(DEFAULT_STAGES);
	for (const name of DEFAULT_STAGES) await expectInsideWindow(page, stage(page, name));
	expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
	expect(await page.evaluate(() => document.scrollingElement!.scrollHeight - window.innerHeight), 'no vertical page scroll either').toBeLessThanOrEqual(0);
	const widths = await page.getByTestId('stage').evaluateAll((columns) => columns.map((c) => c.getBoundingClientRect().width));
	test.info().annotations.push({ type: 'column widths at 1440', description: widths.map(Math.round).join(', ') });
	// Narrowed, not squeezed: a column still holds a readable card.
	for (const width of widths) expect(width).toBeGreaterThanOrEqual(224);
});

test('with more stages than fit, the board scrolls sideways in its own area, never the page', async () => {
	const { page } = mary;
	await page.setViewportSize(LAPTOP);
	for (const name of ['Legal', 'Scheduled', 'Published']) {
		await page.getByLabel('New stage name').fill(name);
		await page.getByLabel('New stage name').press('Enter');
		await expect(stage(page, name)).toHaveCount(1);
	}
	const board = page.getByRole('list', { name: 'Stages' });
	expect(await board.evaluate((el) => el.scrollWidth > el.clientWidth), 'the board area scrolls').toBe(true);
	expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
	await stage(page, 'Published').scrollIntoViewIfNeeded();
	await expectInsideWindow(page, stage(page, 'Published'));
	expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
	for (const name of ['Legal', 'Scheduled', 'Published']) {
		const dialog = await openStageSettings(page, name);
		await dialog.getByRole('button', { name: 'Delete stage' }).click();
		await expect(stage(page, name)).toHaveCount(0);
	}
});

test('a long stage name with a WIP limit is shown whole, not cut short by the badge', async () => {
	const { page } = mary;
	await page.setViewportSize(LAPTOP);
	const long = 'Waiting for legal and brand approval from regional teams';
	const dialog = await openStageSettings(page, 'In progress');
	await dialog.getByLabel('Name', { exact: true }).fill(long);
	await dialog.getByRole('button', { name: 'Rename' }).click();
	await dialog.getByLabel('WIP limit').fill('3');
	await dialog.getByRole('button', { name: 'Save limit' }).click();
	await dialog.getByRole('button', { name: 'Close' }).click();
	await expect(dialog).toHaveCount(0);

	for (const person of [mary, cher]) {
		const column = stage(person.page, long);
		const name = column.getByTestId('stage-name');
		await expect(name).toHaveText(long);
		await expect(column.getByTestId('wip')).toHaveText('0 / 3');
		// Nothing clipped: the text fits its box (it wraps), and the badge is not drawn over it.
		expect(await name.evaluate((el) => el.scrollWidth <= el.clientWidth && el.scrollHeight <= el.clientHeight && getComputedStyle(el).textOverflow !== 'ellipsis')).toBe(true);
		const [nameBox, badgeBox] = [await name.boundingBox(), await column.getByTestId('wip').boundingBox()];
		const overlaps = nameBox!.x < badgeBox!.x + badgeBox!.width && badgeBox!.x < nameBox!.x + nameBox!.width && nameBox!.y < badgeBox!.y + badgeBox!.height && badgeBox!.y < nameBox!.y + nameBox!.height;
		expect(overlaps, 'the WIP badge does not cover the name').toBe(false);
	}
	// The whole name is on screen, inside its column.
	const column = await stage(page, long).boundingBox();
	const name = await stage(page, long).getByTestId('stage-name').boundingBox();
	expect(name!.x + name!.width).toBeLessThanOrEqual(column!.x + column!.width);
});

test('at 390×844 no page is wider than the phone', async ({ browser }) => {
	const { page } = mary;
	await page.setViewportSize(PHONE);
	for (const path of ['/', boardUrl, `${boardUrl}/settings`, `${boardUrl}/stats`]) {
		await page.goto(path);
		if (path === boardUrl) await waitForBoard(page);
		if (path.endsWith('/stats')) await expect(page.getByTestId('chart-cfd').locator('svg').first()).toBeVisible();
		await expect(page.getByRole('main')).toBeVisible();
		expect(await sidewaysOverflow(page), `${path} scrolls sideways`).toBeLessThanOrEqual(0);
	}
	const visitor = await browser.newContext({ viewport: PHONE });
	try {
		const anon = await visitor.newPage();
		for (const path of ['/login', '/signup']) {
			await anon.goto(path);
			await expect(anon.getByRole('button', { name: path === '/login' ? 'Log in' : 'Create account' })).toBeVisible();
			expect(await sidewaysOverflow(anon), `${path} scrolls sideways`).toBeLessThanOrEqual(0);
		}
	} finally {
		await visitor.close();
	}
});

test('at 390×844 the stage and card dialogs fit the phone and scroll inside themselves', async () => {
	const { page } = mary;
	await page.setViewportSize(PHONE);
	await page.goto(boardUrl);
	await waitForBoard(page);
	await expect(stage(page, 'Backlog')).toBeInViewport();
	expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);

	const dialog = await openStageSettings(page, 'Backlog');
	for (const text of ['Done is checked by the editor', 'Published on the blog with images', 'Shared on social media by the team']) {
		await dialog.getByLabel('New exit criterion').fill(text);
		await dialog.getByLabel('New exit criterion').press('Enter');
		await expect(dialog.getByText(text)).toBeVisible();
	}
	await expectInsideWindow(page, dialog);
	// The last control is reachable by scrolling the dialog, and the dialog stays put.
	const remove = dialog.getByRole('button', { name: 'Delete stage' });
	await remove.scrollIntoViewIfNeeded();
	await expect(remove).toBeInViewport();
	await expectInsideWindow(page, dialog);
	expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
	await dialog.getByRole('button', { name: 'Close' }).click();
	await expect(dialog).toHaveCount(0);

	await addCard(page, 'Backlog', 'A card with a title long enough to wrap over two lines on a phone');
	await card(page, 'A card with a title long enough to wrap over two lines on a phone').click();
	const cardDialog = page.getByTestId('card-dialog');
	await expect(cardDialog).toBeVisible();
	await expectInsideWindow(page, cardDialog);
	expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
	await cardDialog.getByRole('button', { name: 'Close' }).first().click();
	await expect(cardDialog).toHaveCount(0);
});

test("a member's avatar shows the initials of their first and last name", async () => {
	await mary.page.setViewportSize(LAPTOP);
	await expect(cher.page.getByTestId('presence').getByRole('img', { name: 'Mary Ann Smith' })).toHaveText('MS');
	await expect(mary.page.getByTestId('presence').getByRole('img', { name: 'Cher' })).toHaveText('C');
});

test("a due date reads in the reader's own format", async () => {
	const title = 'A card with a title long enough to wrap over two lines on a phone';
	await mary.page.goto(boardUrl);
	await waitForBoard(mary.page);
	await card(mary.page, title).click();
	const dialog = mary.page.getByTestId('card-dialog');
	await dialog.getByLabel('Due date').fill('2020-01-31');
	await dialog.getByRole('button', { name: 'Close' }).first().click();
	// Each reads it in their browser's language: Cher's is German; Mary's is whatever this machine's browser speaks.
	const marys = await mary.page.evaluate(() => new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' }).format(Date.UTC(2020, 0, 31)));
	await expect(card(mary.page, title).getByTestId('due')).toHaveText(`Overdue · ${marys}`);
	await expect(card(cher.page, title).getByTestId('due')).toHaveText('Overdue · 31.01.2020');
});
