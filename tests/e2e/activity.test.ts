import { expect, test } from './fixtures.ts';
import { addCard, boardWithPeople, openStageSettings, type Person } from './board-helpers.ts';

test.describe.configure({ mode: 'serial' });

let owner: Person;
let editor: Person;

test.beforeAll(async ({ browser }) => {
	test.setTimeout(120_000);
	const setup = await boardWithPeople(browser, 'Audit board', ['editor']);
	owner = setup.owner;
	editor = setup.others[0]!;
});

test.afterAll(async () => {
	for (const person of [owner, editor]) await person?.context.close();
});

test('the activity panel reads as sentences, filters by person and kind, and exports what it shows as CSV', async () => {
	await addCard(owner.page, 'To do', 'Owner’s post');
	await addCard(editor.page, 'Backlog', 'Editor’s post');
	const dialog = await openStageSettings(owner.page, 'Review');
	await dialog.getByLabel('WIP limit', { exact: true }).fill('3');
	await dialog.getByRole('button', { name: 'Save limit' }).click();
	await owner.page.keyboard.press('Escape');

	const page = owner.page;
	// Phone width: the panel and its filters must still fit.
	await page.setViewportSize({ width: 390, height: 844 });
	await page.getByRole('button', { name: 'Activity' }).click();
	const list = page.getByTestId('activity');
	await expect(list).toContainText('Olivia Owner set a soft WIP limit of 3 on Review');
	await expect(list).toContainText('Eddie 0 on “Editor’s post” created it in Backlog');
	await expect(list).toContainText('Eddie 0 joined the board as an editor');
	await expect(list).toContainText('Olivia Owner created an invite link for editors (valid 7 days)');
	const panel = page.getByRole('region', { name: 'Board activity' });
	const box = await panel.boundingBox();
	expect(box!.width).toBeLessThanOrEqual(390);

	// By person, with the keyboard: only Eddie's entries remain.
	const person = panel.getByRole('combobox', { name: 'Person' });
	await person.focus();
	await person.selectOption({ label: 'Eddie 0' });
	await expect(list).not.toContainText('Olivia Owner');
	await expect(list).toContainText('Eddie 0 on “Editor’s post” created it in Backlog');

	// The export follows the filters: a real download of Eddie's entries, names not ids, typed text neutralised.
	const [download] = await Promise.all([page.waitForEvent('download'), panel.getByRole('link', { name: 'Export CSV' }).click()]);
	let text = '';
	for await (const chunk of await download.createReadStream()) text += String(chunk);
	expect(download.suggestedFilename()).toMatch(/activity\.csv$/);
	const lines = text.trim().split(/\r?\n/);
	expect(lines[0]).toBe('at,actor_id,actor,kind,group,card_id,card,entry');
	expect(lines.length).toBeGreaterThan(2);
	for (const line of lines.slice(1)) expect(line).toContain(',Eddie 0,');
	expect(text).toContain('Eddie 0 on “Editor’s post” created it in Backlog');

	// By kind: stage changes by everyone.
	await person.selectOption({ label: 'Everyone' });
	await panel.getByRole('combobox', { name: 'Kind' }).selectOption({ label: 'Stages' });
	await expect(list.locator('li')).toHaveCount(1);
	await expect(list).toContainText('Olivia Owner set a soft WIP limit of 3 on Review');
	await panel.getByRole('button', { name: 'Clear' }).click();
	await expect(list).toContainText('Eddie 0 joined the board as an editor');
});

test('a non-member gets 404 from the activity API and its CSV export', async ({ browser }) => {
	const boardId = new URL(owner.page.url()).pathname.split('/').pop()!;
	const { newPerson } = await import('./board-helpers.ts');
	const stranger = await newPerson(browser, 'Stan Stranger');
	for (const path of [`/api/boards/${boardId}/activity`, `/api/boards/${boardId}/activity.csv`]) {
		const response = await stranger.page.request.get(path);
		expect(response.status()).toBe(404);
	}
	await stranger.context.close();
});
