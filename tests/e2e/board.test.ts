import { expect, test, type Page } from './fixtures.ts';
import { addCard, boardWithPeople, card, dragCardTo, moveWithMenu, openStageSettings, stage, waitForBoard, type Person } from './board-helpers.ts';

test.describe.configure({ mode: 'serial' });

let owner: Person;
let editor: Person;
let viewer: Person;

test.beforeAll(async ({ browser }) => {
	test.setTimeout(120_000);
	const setup = await boardWithPeople(browser, 'Launch campaign', ['editor', 'viewer']);
	owner = setup.owner;
	[editor, viewer] = setup.others as [Person, Person];
});

test.afterAll(async () => {
	for (const person of [owner, editor, viewer]) await person?.context.close();
});

test('a new board starts with the default workflow, and cards added by one person appear for the others', async () => {
	for (const person of [owner, editor, viewer]) {
		await expect(person.page.getByTestId('stage-name')).toHaveText(['Backlog', 'To do', 'In progress', 'Review', 'Done']);
	}
	await addCard(owner.page, 'Backlog', 'Write launch blog post');
	await addCard(owner.page, 'Backlog', 'Design hero image');
	await expect(card(editor.page, 'Write launch blog post')).toBeVisible();
	await expect(card(viewer.page, 'Design hero image')).toBeVisible();
	await expect(editor.page.getByTestId('presence').getByRole('img')).toHaveCount(2);
});

test('a drag in one browser shows in the other', async () => {
	await dragCardTo(owner.page, 'Write launch blog post', 'To do');
	await expect(stage(owner.page, 'To do').getByTestId('card')).toHaveCount(1);
	await expect(stage(editor.page, 'To do').getByTestId('card-title')).toHaveText(['Write launch blog post']);
	await expect(stage(viewer.page, 'Backlog').getByTestId('card-title')).toHaveText(['Design hero image']);
});

test('the keyboard moves a card: Space picks up, arrows move, Space drops', async () => {
	const tile = card(editor.page, 'Design hero image');
	await tile.focus();
	await editor.page.keyboard.press('Space');
	await expect(editor.page.getByTestId('announcer')).toContainText('Picked up Design hero image');
	await editor.page.keyboard.press('ArrowRight');
	await editor.page.keyboard.press('ArrowDown');
	await expect(editor.page.getByTestId('announcer')).toContainText('To do, position 2');
	await editor.page.keyboard.press('Space');
	await expect(editor.page.getByTestId('announcer')).toContainText('Dropped Design hero image in To do, position 2');
	await expect(stage(owner.page, 'To do').getByTestId('card-title')).toHaveText(['Write launch blog post', 'Design hero image']);
	// Escape cancels a pick-up and leaves the card where it was.
	await card(editor.page, 'Design hero image').focus();
	await editor.page.keyboard.press('Space');
	await editor.page.keyboard.press('ArrowLeft');
	await editor.page.keyboard.press('Escape');
	await expect(stage(editor.page, 'To do').getByTestId('card-title')).toHaveText(['Write launch blog post', 'Design hero image']);
});

test('a hard WIP limit refuses a drop and says why', async () => {
	const dialog = await openStageSettings(owner.page, 'In progress');
	await dialog.getByLabel('WIP limit').fill('1');
	await dialog.getByLabel('Hard (refuse)').check();
	await dialog.getByRole('button', { name: 'Save limit' }).click();
	await dialog.getByRole('button', { name: 'Close' }).click();
	await expect(stage(editor.page, 'In progress').getByTestId('wip')).toContainText('0 / 1');

	await dragCardTo(editor.page, 'Write launch blog post', 'In progress');
	await expect(stage(owner.page, 'In progress').getByTestId('card-title')).toHaveText(['Write launch blog post']);
	await expect(stage(editor.page, 'In progress').getByTestId('wip')).toContainText('1 / 1');

	await dragCardTo(editor.page, 'Design hero image', 'In progress');
	await expect(editor.page.getByTestId('notice')).toContainText('In progress is at its WIP limit of 1 card');
	await expect(stage(editor.page, 'In progress').getByTestId('card')).toHaveCount(1);
	await expect(stage(owner.page, 'To do').getByTestId('card-title')).toHaveText(['Design hero image']);
});

test('an unmet exit criterion refuses a forward move and lists what is missing; a backward move is fine', async () => {
	const dialog = await openStageSettings(owner.page, 'In progress');
	await dialog.getByLabel('New exit criterion').fill('SEO keywords in title');
	await dialog.getByRole('button', { name: 'Add', exact: true }).click();
	await dialog.getByLabel('New exit criterion').fill('Legal approved');
	await dialog.getByRole('button', { name: 'Add', exact: true }).click();
	await dialog.getByRole('button', { name: 'Close' }).click();

	await moveWithMenu(editor.page, 'Write launch blog post', 'Review');
	await expect(editor.page.getByTestId('notice')).toContainText("Can't leave In progress yet. Still to do: SEO keywords in title; Legal approved.");
	await expect(stage(editor.page, 'In progress').getByTestId('card')).toHaveCount(1);

	await card(editor.page, 'Write launch blog post').click();
	const cardDialog = editor.page.getByTestId('card-dialog');
	await cardDialog.getByLabel('SEO keywords in title').check();
	await cardDialog.getByRole('button', { name: 'Close' }).click();
	await moveWithMenu(editor.page, 'Write launch blog post', 'Review');
	await expect(editor.page.getByTestId('notice')).toContainText('Still to do: Legal approved.');

	await moveWithMenu(editor.page, 'Write launch blog post', 'Backlog');
	await expect(stage(owner.page, 'Backlog').getByTestId('card-title')).toHaveText(['Write launch blog post']);
});

test('a viewer sees everything but cannot drag, add or edit', async () => {
	await expect(viewer.page.getByTestId('read-only-notice')).toBeVisible();
	await expect(viewer.page.getByTestId('add-card')).toHaveCount(0);
	await expect(viewer.page.getByTestId('move-to')).toHaveCount(0);
	await dragCardTo(viewer.page, 'Design hero image', 'Done');
	await viewer.page.waitForTimeout(500);
	await expect(stage(viewer.page, 'To do').getByTestId('card-title')).toHaveText(['Design hero image']);
	await expect(stage(owner.page, 'Done').getByTestId('card')).toHaveCount(0);
});

test('an edit made offline reaches the others after reconnecting', async () => {
	await editor.context.setOffline(true);
	await expect(editor.page.getByTestId('connection')).toHaveAttribute('data-state', 'offline');
	await addCard(editor.page, 'Backlog', 'Draft newsletter offline');
	await owner.page.waitForTimeout(500);
	await expect(card(owner.page, 'Draft newsletter offline')).toHaveCount(0);
	await editor.context.setOffline(false);
	await waitForBoard(editor.page);
	await expect(card(owner.page, 'Draft newsletter offline')).toBeVisible();
});

test('undo takes back only my own change', async () => {
	await addCard(owner.page, 'Backlog', 'Owner idea');
	await addCard(editor.page, 'Backlog', 'Editor idea');
	await expect(card(owner.page, 'Editor idea')).toBeVisible();
	await owner.page.getByRole('button', { name: 'Undo' }).click();
	await expect(card(owner.page, 'Owner idea')).toHaveCount(0);
	await expect(card(editor.page, 'Owner idea')).toHaveCount(0);
	await expect(card(owner.page, 'Editor idea')).toBeVisible();
	await owner.page.getByRole('button', { name: 'Redo' }).click();
	await expect(card(editor.page, 'Owner idea')).toBeVisible();
	// The keyboard shortcuts do the same.
	await owner.page.getByTestId('board').click({ position: { x: 5, y: 5 } });
	await owner.page.keyboard.press('Control+z');
	await expect(card(editor.page, 'Owner idea')).toHaveCount(0);
	await owner.page.keyboard.press('Control+Shift+z');
	await expect(card(editor.page, 'Owner idea')).toBeVisible();
});

test('a soft WIP limit lets the move happen and shows the stage over its limit', async () => {
	const dialog = await openStageSettings(owner.page, 'Backlog');
	await dialog.getByLabel('WIP limit').fill('2');
	await dialog.getByLabel('Soft (warn)').check();
	await dialog.getByRole('button', { name: 'Save limit' }).click();
	await dialog.getByRole('button', { name: 'Close' }).click();
	const backlog = stage(editor.page, 'Backlog');
	const count = await backlog.getByTestId('card').count();
	expect(count).toBeGreaterThan(2);
	await expect(backlog.getByTestId('wip')).toHaveText(`${count} / 2`);
	await expect(backlog).toHaveAttribute('data-over-limit', 'true');
});

/** Drags a card with the mouse so that it sits in the gap just above another card, holding it there for a moment. */
async function dragCardAbove(page: Page, title: string, belowTitle: string): Promise<void> {
	await expect(page.getByTestId('drag-overlay')).toHaveCount(0);
	const from = (await card(page, title).boundingBox())!;
	const below = (await card(page, belowTitle).boundingBox())!;
	await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
	await page.mouse.down();
	await page.mouse.move(from.x + from.width / 2 + 8, from.y + from.height / 2 + 8, { steps: 4 });
	// The card's middle (where it was grabbed) goes 4 px above the lower card: in the gap between the two.
	await page.mouse.move(below.x + below.width / 2, below.y - 4, { steps: 12 });
	await page.waitForTimeout(700);
}

test('a drop between two cards lands there, and the screen reader hears the card title', async () => {
	// "To do" holds Design hero image; its column is well inside the window, so holding a card there does not auto-scroll.
	for (const title of ['Alpha', 'Bravo', 'Charlie']) await addCard(owner.page, 'To do', title);
	await expect(stage(editor.page, 'To do').getByTestId('card-title')).toHaveText(['Design hero image', 'Alpha', 'Bravo', 'Charlie']);
	const live = owner.page.locator('[id^="dnd-kit-announcement"]');

	// Within a column: Charlie up between Alpha and Bravo, with the insertion line showing where it will land.
	await dragCardAbove(owner.page, 'Charlie', 'Bravo');
	await expect(card(owner.page, 'Bravo')).toHaveAttribute('data-drop', 'before');
	await expect(live).toHaveText('Charlie is over To do, position 3.');
	await owner.page.mouse.up();
	await expect(live).toHaveText('Dropped Charlie.');
	await expect(stage(editor.page, 'To do').getByTestId('card-title')).toHaveText(['Design hero image', 'Alpha', 'Charlie', 'Bravo']);

	// From another column: Editor idea into the gap between Alpha and Charlie.
	await dragCardAbove(owner.page, 'Editor idea', 'Charlie');
	await owner.page.mouse.up();
	await expect(stage(editor.page, 'To do').getByTestId('card-title')).toHaveText(['Design hero image', 'Alpha', 'Editor idea', 'Charlie', 'Bravo']);
	await expect(owner.page.locator('[data-drop]')).toHaveCount(0);
});
