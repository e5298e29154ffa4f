import { expect, test } from './fixtures.ts';
import { addCard, boardWithPeople, card, stage, type Person } from './board-helpers.ts';

test.describe.configure({ mode: 'serial' });

let owner: Person;
let editor: Person;

test.beforeAll(async ({ browser }) => {
	test.setTimeout(120_000);
	const setup = await boardWithPeople(browser, 'Deleting cards', ['editor']);
	owner = setup.owner;
	editor = setup.others[0]!;
	await addCard(owner.page, 'To do', 'First draft');
	await addCard(owner.page, 'To do', 'Webinar follow-up');
	await addCard(owner.page, 'To do', 'Last call');
});

test.afterAll(async () => {
	for (const person of [owner, editor]) await person?.context.close();
});

test('delete from the dialog after confirming by keyboard; gone live for the other person; Undo brings it back in both', async () => {
	const titles = (who: Person) => stage(who.page, 'To do').getByTestId('card-title').allInnerTexts();
	await expect(card(editor.page, 'Webinar follow-up')).toBeVisible();

	await card(owner.page, 'Webinar follow-up').click();
	const dialog = owner.page.getByTestId('card-dialog');
	await dialog.getByRole('button', { name: 'Delete card…' }).click();
	// The question names the card, and focus moves to its answer: Enter confirms.
	await expect(dialog.getByText('Delete “Webinar follow-up”? You can undo it')).toBeVisible();
	const confirm = dialog.getByRole('button', { name: 'Delete “Webinar follow-up”' });
	await expect(confirm).toBeFocused();
	await owner.page.keyboard.press('Enter');

	await expect(dialog).toBeHidden();
	const notice = owner.page.getByTestId('notice');
	await expect(notice).toContainText('Card deleted: “Webinar follow-up”.');
	await expect(card(owner.page, 'Webinar follow-up')).toHaveCount(0);
	await expect(card(editor.page, 'Webinar follow-up')).toHaveCount(0);

	await notice.getByRole('button', { name: 'Undo' }).click();
	await expect(notice).toBeHidden();
	// Back in its place, between the same neighbours, for both.
	await expect.poll(() => titles(owner)).toEqual(['First draft', 'Webinar follow-up', 'Last call']);
	await expect.poll(() => titles(editor)).toEqual(['First draft', 'Webinar follow-up', 'Last call']);
});

test('"Keep it" leaves the card alone', async () => {
	await card(owner.page, 'Last call').click();
	const dialog = owner.page.getByTestId('card-dialog');
	await dialog.getByRole('button', { name: 'Delete card…' }).click();
	await dialog.getByRole('button', { name: 'Keep it' }).click();
	await expect(dialog.getByRole('button', { name: 'Delete card…' })).toBeVisible();
	await owner.page.keyboard.press('Escape');
	await expect(dialog).toBeHidden();
	await expect(card(editor.page, 'Last call')).toBeVisible();
});
