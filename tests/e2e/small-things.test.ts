import { expect, test } from './fixtures.ts';
import { addCard, boardWithPeople, card, stage, type Person } from './board-helpers.ts';

test.describe.configure({ mode: 'serial' });

let owner: Person;
let editor: Person;
let boardUrl: string;

test.beforeAll(async ({ browser }) => {
	test.setTimeout(120_000);
	const setup = await boardWithPeople(browser, 'Keyboard board', ['editor']);
	({ owner, boardUrl } = setup);
	editor = setup.others[0]!;
	for (const title of ['First post', 'Second post']) await addCard(owner.page, 'Backlog', title);
});

test.afterAll(async () => {
	for (const person of [owner, editor]) await person?.context.close();
});

test('keyboard shortcuts: ? shows the sheet, j/k walk the cards, a assigns to me, m moves, n adds; my own avatar is in the presence bar', async () => {
	const page = owner.page;
	await expect(page.getByTestId('presence-me')).toBeVisible();
	await expect(page.getByTestId('presence').getByRole('img')).toHaveCount(1); // the editor

	await page.locator('body').click({ position: { x: 5, y: 300 } });
	await page.keyboard.press('?');
	const sheet = page.getByTestId('shortcut-sheet');
	await expect(sheet).toBeVisible();
	await expect(sheet).toContainText('Assign the card in focus to me');
	await page.keyboard.press('Escape');
	await expect(sheet).toBeHidden();

	await page.keyboard.press('j');
	await expect(card(page, 'First post')).toBeFocused();
	await page.keyboard.press('j');
	await expect(card(page, 'Second post')).toBeFocused();
	await page.keyboard.press('k');
	await expect(card(page, 'First post')).toBeFocused();

	await page.keyboard.press('a');
	await expect(page.getByTestId('announcer')).toHaveText('First post assigned to you.');
	await card(editor.page, 'First post').click();
	await expect(editor.page.getByRole('dialog').getByRole('checkbox', { name: 'Olivia Owner', exact: true })).toBeChecked();
	await editor.page.keyboard.press('Escape');

	await card(page, 'First post').focus();
	await page.keyboard.press('m');
	await page.getByTestId('move-menu').getByRole('menuitem', { name: 'To do', exact: true }).click();
	await expect(stage(editor.page, 'To do').getByTestId('card-title')).toHaveText(['First post']);

	await card(page, 'Second post').focus();
	await page.keyboard.press('n');
	await expect(stage(page, 'Backlog').getByTestId('add-card')).toBeFocused();
});

test('a member is removed only after a confirmation', async () => {
	const page = owner.page;
	await page.goto(`${boardUrl}/settings`);
	await page.getByRole('button', { name: `Remove ${editor.name}` }).click();
	const confirm = page.getByRole('group', { name: `Confirm removing ${editor.name}` });
	await expect(confirm).toBeVisible();
	await confirm.getByRole('button', { name: 'Cancel' }).click();
	await expect(confirm).toBeHidden();
	await expect(page.getByRole('button', { name: `Remove ${editor.name}` })).toBeVisible();
	await page.getByRole('button', { name: `Remove ${editor.name}` }).click();
	await confirm.getByRole('button', { name: 'Yes, remove' }).click();
	await expect(page.getByRole('button', { name: `Remove ${editor.name}` })).toHaveCount(0);
});

test('people edit their name and time zone; a blank name is refused and changes nothing', async () => {
	const page = owner.page;
	await page.goto('/account');
	const form = page.getByTestId('profile-form');
	await form.getByLabel('Your name').fill('   ');
	await form.getByLabel('Time zone').selectOption('Asia/Tokyo');
	// The browser's own check would stop a blank field; send it anyway to see the server's answer.
	await form.evaluate((f: HTMLFormElement) => (f.noValidate = true));
	await form.getByRole('button', { name: 'Save' }).click();
	await expect(form.getByText('Enter your name.')).toBeVisible();
	await page.reload();
	await expect(form.getByLabel('Your name')).toHaveValue('Olivia Owner');

	await form.getByLabel('Your name').fill('Olivia Lead');
	await form.getByLabel('Time zone').selectOption('Asia/Tokyo');
	await form.getByRole('button', { name: 'Save' }).click();
	await expect(form.getByRole('status').or(form.getByText('Saved.'))).toContainText('Saved.');
	await page.reload();
	await expect(form.getByLabel('Your name')).toHaveValue('Olivia Lead');
	await expect(form.getByLabel('Time zone')).toHaveValue('Asia/Tokyo');
	await page.goto(boardUrl);
	await expect(page.getByTestId('presence-me')).toBeVisible();
	await card(page, 'First post').click();
	await expect(page.getByRole('dialog').getByRole('checkbox', { name: 'Olivia Lead', exact: true })).toBeChecked();
});
