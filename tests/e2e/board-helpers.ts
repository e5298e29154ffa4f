import { expect, type Browser, type BrowserContext, type Locator, type Page } from '@playwright/test';
import { signUp, signUpHere, uniqueEmail } from './helpers.ts';

/** A signed-in person in their own browser context, looking at the board. */
export interface Person {
	context: BrowserContext;
	page: Page;
	name: string;
}

/** Creates an owner with a new board and people who joined it by invite link with the given roles. */
export async function boardWithPeople(browser: Browser, boardName: string, roles: ('editor' | 'viewer')[]): Promise<{ boardUrl: string; owner: Person; others: Person[] }> {
	const owner = await newPerson(browser, 'Olivia Owner');
	await owner.page.getByLabel('New board').fill(boardName);
	await owner.page.getByRole('button', { name: 'Create board' }).click();
	await expect(owner.page.getByTestId('board-name')).toHaveText(boardName);
	const boardUrl = owner.page.url();
	const others: Person[] = [];
	for (const [i, role] of roles.entries()) {
		await owner.page.goto(`${boardUrl}/settings`);
		await owner.page.getByLabel('Role', { exact: true }).selectOption(role);
		await owner.page.getByRole('button', { name: 'Create invite link' }).click();
		const link = await owner.page.getByTestId('invite-url').inputValue();
		const context = await browser.newContext();
		const page = await context.newPage();
		const name = `${role === 'editor' ? 'Eddie' : 'Vera'} ${i}`;
		await page.goto(link);
		await page.getByRole('link', { name: 'Create an account' }).click();
		await signUpHere(page, name, uniqueEmail(role));
		await page.getByRole('button', { name: 'Join board' }).click();
		await expect(page.getByTestId('board-name')).toHaveText(boardName);
		others.push({ context, page, name });
	}
	await owner.page.goto(boardUrl);
	for (const person of [owner, ...others]) await waitForBoard(person.page);
	return { boardUrl, owner, others };
}

/** A new account in a fresh browser context. */
export async function newPerson(browser: Browser, name: string): Promise<Person> {
	const context = await browser.newContext();
	const page = await context.newPage();
	await signUp(page, name, uniqueEmail(name.split(' ')[0]!.toLowerCase()));
	return { context, page, name };
}

/** Waits until the app shell is hydrated, so key presses reach its handlers. */
export async function waitForApp(page: Page): Promise<void> {
	await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
}

/** Waits until the board is hydrated, synced and showing its stages. */
export async function waitForBoard(page: Page): Promise<void> {
	// Generous: on a busy 2-core CI machine the first sync can take a while.
	await expect(page.getByTestId('board')).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
	await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live', { timeout: 30_000 });
}

/** A stage column by its name. */
export function stage(page: Page, name: string): Locator {
	return page.getByTestId('stage').filter({ has: page.getByTestId('stage-name').getByText(name, { exact: true }) });
}

/** A card by its title. */
export function card(page: Page, title: string): Locator {
	return page.getByTestId('card').filter({ has: page.getByTestId('card-title').getByText(title, { exact: true }) });
}

/** Adds a card at the bottom of a stage through the inline field. */
export async function addCard(page: Page, stageName: string, title: string): Promise<void> {
	const field = stage(page, stageName).getByTestId('add-card');
	await field.fill(title);
	await field.press('Enter');
	await expect(card(page, title)).toBeVisible();
}

/** Drags a card with the mouse onto a stage's card area (as a person would, in small steps). */
export async function dragCardTo(page: Page, title: string, stageName: string): Promise<void> {
	// A new drag cannot start while the previous drop is still animating.
	await expect(page.getByTestId('drag-overlay')).toHaveCount(0);
	const from = await card(page, title).boundingBox();
	const to = await stage(page, stageName).getByTestId('stage-cards').boundingBox();
	if (!from || !to) throw new Error('card or stage not visible');
	await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
	await page.mouse.down();
	await page.mouse.move(from.x + from.width / 2 + 8, from.y + from.height / 2 + 8, { steps: 4 });
	await page.mouse.move(to.x + to.width / 2, to.y + 30, { steps: 12 });
	await page.waitForTimeout(150);
	await page.mouse.up();
}

/** Opens a stage's settings dialog. */
export async function openStageSettings(page: Page, stageName: string): Promise<Locator> {
	await page.getByRole('button', { name: `Settings for stage ${stageName}` }).click();
	const dialog = page.getByTestId('stage-dialog');
	await expect(dialog).toBeVisible();
	return dialog;
}

/** Moves a card with its "Move to…" menu (the non-drag path). */
export async function moveWithMenu(page: Page, title: string, stageName: string): Promise<void> {
	await card(page, title).getByTestId('move-to').click();
	await page.getByTestId('move-menu').getByRole('menuitem', { name: stageName, exact: true }).click();
}
