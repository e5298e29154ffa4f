import { expect, test } from './fixtures.ts';
import { addCard, boardWithPeople, card, stage, type Person } from './board-helpers.ts';

test.describe.configure({ mode: 'serial' });

let owner: Person;
let editor: Person;

test.beforeAll(async ({ browser }) => {
	test.setTimeout(120_000);
	const setup = await boardWithPeople(browser, 'Editorial calendar', ['editor']);
	owner = setup.owner;
	editor = setup.others[0]!;
	await addCard(owner.page, 'To do', 'Q3 trends post');
});

test.afterAll(async () => {
	for (const person of [owner, editor]) await person?.context.close();
});

test('the card dialog edits every field, and the card face shows them to everyone', async () => {
	await card(owner.page, 'Q3 trends post').click();
	const dialog = owner.page.getByTestId('card-dialog');
	await expect(dialog).toBeVisible();
	await expect(dialog.getByTestId('card-meta')).toContainText('In To do since');
	// Who created it comes from the server's history, not from what a client wrote into the document.
	await expect(dialog.getByTestId('activity')).toContainText('Olivia Owner created it in To do');

	// The other person sees that the card is open.
	await expect(card(editor.page, 'Q3 trends post').getByTestId('card-viewers')).toBeVisible();

	await dialog.getByLabel('New checklist item').fill('Proofread');
	await dialog.getByLabel('New checklist item').press('Enter');
	await dialog.getByLabel('New checklist item').fill('Add alt text');
	await dialog.getByLabel('New checklist item').press('Enter');
	await dialog.getByLabel('Proofread', { exact: true }).check();
	await dialog.getByRole('checkbox', { name: 'Olivia Owner' }).check();
	await dialog.getByLabel('Due date').fill('2020-01-31');
	await dialog.getByLabel('New label').fill('SEO');
	await dialog.getByLabel('New label').press('Enter');
	await dialog.getByLabel('Blocking reason').fill('Waiting for stats from analytics');
	await dialog.getByRole('button', { name: 'Mark blocked' }).click();
	// The description is a live shared editor (CodeMirror), its markdown rendered in the preview.
	await dialog.getByRole('button', { name: 'Edit', exact: true }).click();
	await dialog.getByRole('textbox', { name: 'Description (markdown)' }).fill('**Bold claim** <img src=x onerror="window.__xss=1"> [source](javascript:alert(1))');
	await dialog.getByRole('button', { name: 'Preview', exact: true }).click();
	await expect(dialog.getByTestId('description-rendered').locator('strong')).toHaveText('Bold claim');
	await dialog.getByRole('button', { name: 'Close' }).click();

	const onEditor = card(editor.page, 'Q3 trends post');
	await expect(onEditor.getByTestId('checklist-progress')).toHaveText('☑ 1/2');
	await expect(onEditor.getByTestId('due')).toHaveAttribute('data-due', 'overdue');
	await expect(onEditor.getByTestId('blocked')).toHaveText('Blocked: Waiting for stats from analytics');
	await expect(onEditor).toContainText('SEO');
	await expect(onEditor.getByRole('img', { name: 'Olivia Owner' })).toBeVisible();

	// The markdown is sanitized for the reader too: no script ran, no javascript: link.
	await onEditor.click();
	const editorDialog = editor.page.getByTestId('card-dialog');
	await expect(editorDialog.getByTestId('description-rendered').locator('strong')).toHaveText('Bold claim');
	expect(await editor.page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
	await expect(editorDialog.getByTestId('description-rendered').locator('a[href^="javascript"]')).toHaveCount(0);
	await expect(editorDialog.getByTestId('description-rendered').locator('[onerror]')).toHaveCount(0);
	// Its history, recorded by the server, names who did what.
	await expect(editorDialog.getByTestId('activity')).toContainText('Olivia Owner created it in To do');
	await expect(editorDialog.getByTestId('activity')).toContainText('Olivia Owner marked it blocked: Waiting for stats from analytics');
	await editorDialog.getByRole('button', { name: 'Close' }).click();
	await expect(card(owner.page, 'Q3 trends post').getByTestId('card-viewers')).toHaveCount(0);
});

test('an empty title is refused and the old one kept', async () => {
	await card(editor.page, 'Q3 trends post').click();
	const dialog = editor.page.getByTestId('card-dialog');
	await dialog.getByLabel('Title').fill('   ');
	await dialog.getByLabel('Title').press('Enter');
	await expect(dialog.getByLabel('Title')).toHaveValue('Q3 trends post');
	await dialog.getByLabel('Title').fill('Q3 trends post (final)');
	await dialog.getByLabel('Title').press('Enter');
	await dialog.getByRole('button', { name: 'Close' }).click();
	await expect(card(owner.page, 'Q3 trends post (final)')).toBeVisible();
});

test('archiving hides a card for everyone, and restoring brings it back', async () => {
	await card(editor.page, 'Q3 trends post (final)').click();
	await editor.page.getByTestId('card-dialog').getByRole('button', { name: 'Archive card' }).click();
	await expect(card(owner.page, 'Q3 trends post (final)')).toHaveCount(0);
	await owner.page.getByRole('button', { name: 'Archived (1)' }).click();
	await owner.page.getByRole('button', { name: 'Restore', exact: true }).click();
	await expect(stage(editor.page, 'To do').getByTestId('card-title')).toHaveText(['Q3 trends post (final)']);
});

test('stages can be added, renamed, reordered by dragging, and deleted after choosing where cards go', async () => {
	await owner.page.getByLabel('New stage name').fill('Scheduled');
	await owner.page.getByLabel('New stage name').press('Enter');
	await expect(editor.page.getByTestId('stage-name')).toHaveText(['Backlog', 'To do', 'In progress', 'Review', 'Done', 'Scheduled']);

	// Drag "Scheduled" by its grip to before "Done".
	// Wide enough for all six stages, so nothing scrolls while dragging.
	await owner.page.setViewportSize({ width: 1950, height: 900 });
	const grip = await stage(owner.page, 'Scheduled').getByTestId('stage-grip').boundingBox();
	const done = await stage(owner.page, 'Done').boundingBox();
	await owner.page.mouse.move(grip!.x + grip!.width / 2, grip!.y + grip!.height / 2);
	await owner.page.mouse.down();
	await owner.page.mouse.move(grip!.x - 20, grip!.y + 10, { steps: 5 });
	await owner.page.mouse.move(done!.x + 20, done!.y + 40, { steps: 15 });
	await owner.page.waitForTimeout(200);
	await owner.page.mouse.up();
	await expect(editor.page.getByTestId('stage-name')).toHaveText(['Backlog', 'To do', 'In progress', 'Review', 'Scheduled', 'Done']);

	await owner.page.getByRole('button', { name: 'Settings for stage To do' }).click();
	const dialog = owner.page.getByTestId('stage-dialog');
	await dialog.getByLabel('Name').fill('Ready');
	await dialog.getByRole('button', { name: 'Rename' }).click();
	await expect(stage(editor.page, 'Ready')).toBeVisible();
	await dialog.getByLabel('Move its 1 card to').selectOption({ label: 'Backlog' });
	await dialog.getByRole('button', { name: 'Delete stage' }).click();
	await expect(editor.page.getByTestId('stage-name')).toHaveText(['Backlog', 'In progress', 'Review', 'Scheduled', 'Done']);
	await expect(stage(editor.page, 'Backlog').getByTestId('card-title')).toHaveText(['Q3 trends post (final)']);
	await editor.page.getByRole('button', { name: 'Activity' }).click();
	await expect(editor.page.getByTestId('activity').first()).toContainText('Olivia Owner on “Q3 trends post (final)” moved it from Ready to Backlog');
	await expect(editor.page.getByTestId('activity').first()).toContainText('Eddie 0 on “Q3 trends post (final)” archived it');
});
