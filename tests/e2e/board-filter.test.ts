import { expect, test, type Page } from './fixtures.ts';
import { addCard, boardWithPeople, card, stage, type Person } from './board-helpers.ts';

test.describe.configure({ mode: 'serial' });

let owner: Person;
let editor: Person;
let boardUrl: string;

/** Opens a card, gives it a label and optionally makes the current person its owner, and closes it. */
async function tag(page: Page, title: string, label: string, ownerName?: string): Promise<void> {
	await card(page, title).click();
	const dialog = page.getByRole('dialog');
	await dialog.getByLabel('New label').fill(label);
	await dialog.getByLabel('New label').press('Enter');
	await expect(dialog.getByText(`${label} (`)).toBeVisible();
	if (ownerName) await dialog.getByRole('checkbox', { name: ownerName, exact: true }).check();
	await page.keyboard.press('Escape');
	await expect(dialog).toBeHidden();
}

test.beforeAll(async ({ browser }) => {
	test.setTimeout(120_000);
	const setup = await boardWithPeople(browser, 'Content calendar', ['editor']);
	({ owner, boardUrl } = setup);
	editor = setup.others[0]!;
	for (const title of ['SEO audit', 'Launch email', 'Spring post', 'Hero image']) await addCard(owner.page, 'Backlog', title);
	await tag(owner.page, 'SEO audit', 'seo', 'Olivia Owner');
	await tag(owner.page, 'Spring post', 'seo');
});

test.afterAll(async () => {
	for (const person of [owner, editor]) await person?.context.close();
});

test('typing a filter fades the other cards, counts what is shown and puts the filter in the URL', async () => {
	const page = owner.page;
	await page.getByTestId('filter-input').fill('label:seo');
	await expect(page.locator('[data-testid="card"]:not([data-faded])').getByTestId('card-title')).toHaveText(['SEO audit', 'Spring post']);
	await expect(card(page, 'Launch email')).toHaveAttribute('data-faded', 'true');
	await expect(page.getByTestId('filter-count')).toHaveText('2 of 4 cards shown');
	await expect(stage(page, 'Backlog').getByTestId('stage-shown')).toHaveText('2 of 4 shown');
	await expect(page).toHaveURL(/[?&]q=label%3Aseo/);

	// A quick filter adds its terms; a repeated field would OR, a different one ANDs.
	await page.getByTestId('quick-filter').filter({ hasText: 'My cards' }).click();
	await expect(page.getByTestId('filter-input')).toHaveValue('label:seo owner:me');
	await expect(page.getByTestId('filter-count')).toHaveText('1 of 4 cards shown');
	await expect(page.getByTestId('quick-filter').filter({ hasText: 'My cards' })).toHaveAttribute('aria-pressed', 'true');

	// The filter goes along to the stats tab, and back to the board.
	await expect(page).toHaveURL(/[?&]q=label%3Aseo\+owner%3Ame/);
	await page.getByRole('link', { name: 'Stats', exact: true }).click();
	await expect(page.getByTestId('stats-filter')).toHaveValue('label:seo owner:me');
	await expect(page.getByTestId('stats-scope')).toHaveText(/Figures for 1 card matching/);
	await page.getByRole('link', { name: 'Board', exact: true }).click();
	await expect(page.getByTestId('filter-input')).toHaveValue('label:seo owner:me');
	await expect(page.getByTestId('filter-count')).toHaveText('1 of 4 cards shown');
});

test('a mistake is shown at its place and the board keeps the last good filter', async () => {
	const page = owner.page;
	await page.getByTestId('filter-input').fill('label:seo owner:@nobody');
	const error = page.getByTestId('filter-error');
	await expect(error).toContainText('No one called “@nobody” is on this board.');
	await expect(error.locator('mark')).toHaveText('owner:@nobody');
	await expect(page.getByTestId('filter-input')).toHaveAttribute('aria-invalid', 'true');
	// Still the last good filter (label:seo owner:me).
	await expect(page.getByTestId('filter-count')).toHaveText('1 of 4 cards shown');
	await page.getByTestId('filter-input').fill('-label:seo');
	await expect(error).toBeHidden();
	await expect(page.getByTestId('filter-count')).toHaveText('2 of 4 cards shown');
});

test('a saved view shared with the board appears for the others, and a link shows the same view', async () => {
	const page = owner.page;
	await page.getByTestId('filter-input').fill('label:seo');
	await page.getByTestId('views-button').click();
	await page.getByLabel('Save the current filter as').fill('SEO work');
	await page.getByLabel('Share with everyone on the board').check();
	await page.getByRole('button', { name: 'Save view' }).click();
	await expect(page.getByTestId('views-list')).toContainText('SEO work');
	await expect(page.getByTestId('views-button')).toHaveText('Views (1)');
	// A second view with the same name is refused, and nothing else is saved.
	await page.getByLabel('Save the current filter as').fill('seo WORK');
	await page.getByRole('button', { name: 'Save view' }).click();
	await expect(page.getByRole('alert').filter({ hasText: 'You already have a view called' })).toBeVisible();
	await expect(page.getByTestId('views-button')).toHaveText('Views (1)');
	await page.getByTestId('views-button').click();
	await expect(page.getByTestId('views-list')).toBeHidden();

	// The editor opens the board from a link with the filter in it, then picks the shared view.
	await editor.page.goto(`${boardUrl}?q=${encodeURIComponent('"launch email"')}`);
	await expect(editor.page.getByTestId('filter-input')).toHaveValue('"launch email"');
	await expect(editor.page.getByTestId('filter-count')).toHaveText('1 of 4 cards shown');
	await editor.page.getByTestId('views-button').click();
	await editor.page.getByTestId('views-list').getByRole('button', { name: 'SEO work' }).click();
	await expect(editor.page.getByTestId('filter-input')).toHaveValue('label:seo');
	await expect(editor.page.getByTestId('filter-count')).toHaveText('2 of 4 cards shown');
	// Not theirs to delete.
	await editor.page.getByTestId('views-button').click();
	await expect(editor.page.getByRole('button', { name: 'Delete view SEO work' })).toHaveCount(0);
	await editor.page.keyboard.press('Escape');
});

test('hiding the others, a keyboard move lands between the cards it was dropped between; the choice is remembered', async () => {
	const page = editor.page;
	await page.getByRole('button', { name: 'Hide others' }).click();
	await expect(stage(page, 'Backlog').getByTestId('card-title')).toHaveText(['SEO audit', 'Spring post']);
	// Backlog is SEO audit, Launch email, Spring post, Hero image; move Spring post above SEO audit among the shown.
	await card(page, 'Spring post').focus();
	await page.keyboard.press('Space');
	await page.keyboard.press('ArrowUp');
	await page.keyboard.press('Space');
	await expect(page.getByTestId('announcer')).toContainText('Dropped Spring post in Backlog, position 1');
	await expect(stage(owner.page, 'Backlog').getByTestId('card-title')).toHaveText(['Spring post', 'SEO audit', 'Launch email', 'Hero image']);
	await expect(card(page, 'Spring post')).toBeFocused();

	await page.reload();
	await expect(page.getByRole('button', { name: 'Hide others' })).toHaveAttribute('aria-pressed', 'true');
	await page.getByTestId('filter-input').fill('');
	await expect(page).not.toHaveURL(/[?&]q=/);
	await expect(stage(page, 'Backlog').getByTestId('card')).toHaveCount(4);
	await expect(page.getByTestId('filter-count')).toHaveCount(0);
});

test('lanes by owner: dragging a card into another person’s lane gives it to them; lanes fold and are remembered', async () => {
	const page = owner.page;
	// Tall enough that every lane's cards are on screen without scrolling the lanes.
	await page.setViewportSize({ width: 1280, height: 1000 });
	await page.getByTestId('filter-input').fill('');
	await page.getByTestId('lane-mode').selectOption('owner');
	const lane = (title: string) => page.getByTestId('lane').filter({ has: page.getByTestId('lane-title').getByText(title, { exact: true }) });
	await expect(page.getByTestId('lane-title')).toHaveText([editor.name, 'Olivia Owner', 'Unassigned']);
	await expect(lane('Olivia Owner').getByTestId('lane-count')).toHaveText('1');
	await expect(lane('Unassigned').getByTestId('lane-count')).toHaveText('3');

	await expect(page.getByTestId('drag-overlay')).toHaveCount(0);
	const from = await card(page, 'Launch email').boundingBox();
	const to = await lane(editor.name).locator('[data-testid="lane-cell"]').nth(1).boundingBox();
	if (!from || !to) throw new Error('card or lane not visible');
	await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
	await page.mouse.down();
	await page.mouse.move(from.x + from.width / 2 + 8, from.y + from.height / 2 + 8, { steps: 4 });
	await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 12 });
	await expect(lane(editor.name).locator('[data-testid="lane-cell"]').nth(1)).toHaveClass(/ring-indigo-400/);
	await page.mouse.up();

	await expect(lane(editor.name).locator('[data-stage-id]').nth(1).getByTestId('card-title')).toHaveText(['Launch email']);
	await expect(lane('Unassigned').getByTestId('lane-count')).toHaveText('2');
	// The other browser sees the card moved to To do and given to the editor.
	await expect(stage(editor.page, 'To do').getByTestId('card-title')).toHaveText(['Launch email']);
	await card(editor.page, 'Launch email').click();
	await expect(editor.page.getByRole('dialog').getByRole('checkbox', { name: editor.name, exact: true })).toBeChecked();
	await editor.page.keyboard.press('Escape');

	await lane('Unassigned').getByTestId('lane-toggle').click();
	await expect(lane('Unassigned').getByTestId('lane-cell')).toHaveCount(0);
	await page.reload();
	await expect(page.getByTestId('lane-mode')).toHaveValue('owner');
	await expect(lane('Unassigned').getByTestId('lane-toggle')).toHaveAttribute('aria-expanded', 'false');
	await expect(lane('Unassigned').getByTestId('lane-count')).toHaveText('2');
});

test('lanes by label: a card added in a lane cell gets the lane’s label; a lane’s soft limit warns for everyone and refuses bad input', async () => {
	const page = owner.page;
	await page.setViewportSize({ width: 1280, height: 1000 });
	await page.getByTestId('lane-mode').selectOption('label');
	const lane = (p: Page, title: string) => p.getByTestId('lane').filter({ has: p.getByTestId('lane-title').getByText(title, { exact: true }) });
	const cell = (p: Page, title: string, stageIndex: number) => lane(p, title).getByTestId('lane-cell').nth(stageIndex);
	await expect(lane(page, 'seo').getByTestId('lane-count')).toHaveText('2');

	// "+ Add" in the seo lane's In progress cell: the new card is there, labelled seo.
	await cell(page, 'seo', 2).getByTestId('add-card').fill('Keyword map');
	await cell(page, 'seo', 2).getByTestId('add-card').press('Enter');
	await expect(cell(page, 'seo', 2).getByTestId('card-title')).toHaveText(['Keyword map']);
	await expect(lane(page, 'seo').getByTestId('lane-count')).toHaveText('3');
	// `n` on a card in a lane goes to that cell's field.
	await cell(page, 'seo', 2).getByTestId('card').first().focus();
	await page.keyboard.press('n');
	await expect(cell(page, 'seo', 2).getByTestId('add-card')).toBeFocused();
	await page.keyboard.press('Escape');

	// A limit of 1 card in progress: the lane holds 1 (in progress), so it is at its limit; a second makes it over.
	await lane(page, 'seo').getByTestId('lane-limit-edit').click();
	const input = lane(page, 'seo').getByTestId('lane-limit-input');
	await input.fill('0');
	await input.press('Enter');
	await expect(lane(page, 'seo').getByRole('alert')).toHaveText('A lane limit is a whole number from 1 to 999.');
	await expect(lane(page, 'seo').getByTestId('lane-wip')).toHaveCount(0);
	await input.fill('1');
	await input.press('Enter');
	await expect(lane(page, 'seo').getByTestId('lane-wip')).toHaveText('1 / 1 in progress');
	await cell(page, 'seo', 3).getByTestId('add-card').fill('Meta descriptions');
	await cell(page, 'seo', 3).getByTestId('add-card').press('Enter');
	await expect(lane(page, 'seo').getByTestId('lane-wip')).toHaveAttribute('data-over-limit', 'true');
	await expect(lane(page, 'seo').getByTestId('lane-wip')).toContainText('2 / 1 in progress');

	// The limit is the board's: the editor, on lanes by label too, sees it live; it is soft, so nothing was refused.
	await editor.page.getByTestId('lane-mode').selectOption('label');
	await expect(lane(editor.page, 'seo').getByTestId('lane-wip')).toContainText('2 / 1 in progress');
	await expect(cell(editor.page, 'seo', 3).getByTestId('card-title')).toHaveText(['Meta descriptions']);
	await page.screenshot({ path: test.info().outputPath('lanes-limit.png') });

	// On a phone the lane header still fits its limit form.
	await editor.page.setViewportSize({ width: 390, height: 800 });
	await lane(editor.page, 'seo').getByTestId('lane-limit-edit').click();
	const box = await lane(editor.page, 'seo').getByTestId('lane-limit-input').boundingBox();
	expect(box!.x + box!.width).toBeLessThanOrEqual(390);
	await lane(editor.page, 'seo').getByRole('button', { name: 'Remove' }).click();
	await expect(lane(page, 'seo').getByTestId('lane-wip')).toHaveCount(0);
	await editor.page.screenshot({ path: '/tmp/lanes-phone.png' });
	await page.screenshot({ path: '/tmp/lanes-desktop.png' });
	for (const p of [page, editor.page]) await p.getByTestId('lane-mode').selectOption('none');
});
