import { expect, test, type Page } from './fixtures.ts';
import { addCard, boardWithPeople, card, openStageSettings, stage, waitForBoard, type Person } from './board-helpers.ts';
import type { Locator } from '@playwright/test';

test.describe.configure({ mode: 'serial' });

let owner: Person;
let editor: Person;
let viewer: Person;
let boardUrl: string;

test.beforeAll(async ({ browser }) => {
	test.setTimeout(120_000);
	const setup = await boardWithPeople(browser, 'Launch plan', ['editor', 'viewer']);
	({ owner, boardUrl } = setup);
	[editor, viewer] = setup.others as [Person, Person];
	await addCard(owner.page, 'To do', 'Launch email');
	await addCard(owner.page, 'To do', 'Press kit');
});

test.afterAll(async () => {
	for (const person of [owner, editor, viewer]) await person?.context.close();
});

/** Opens a card's dialog and switches its description to the live editor; returns the dialog and the editor. */
async function openEditor(page: Page, title: string): Promise<{ dialog: Locator; editor: Locator }> {
	await card(page, title).click();
	const dialog = page.getByTestId('card-dialog');
	await expect(dialog.getByTestId('description-editor')).toHaveAttribute('data-ready', 'true');
	await dialog.getByRole('button', { name: 'Edit', exact: true }).click();
	const textbox = dialog.getByRole('textbox', { name: 'Description (markdown)' });
	await expect(textbox).toBeFocused();
	return { dialog, editor: textbox };
}

/** The text an editor shows, line by line (CodeMirror renders a line per element), without the others' name tags. */
async function editorText(textbox: Locator): Promise<string> {
	return textbox.evaluate((content) =>
		[...content.querySelectorAll('.cm-line')]
			.map((line) => {
				const copy = line.cloneNode(true) as Element;
				for (const caret of copy.querySelectorAll('.cm-ySelectionCaret')) caret.remove();
				return copy.textContent;
			})
			.join('\n')
	);
}

const BASE = 'Intro.\n\nOutro.';
const OLIVIA = 'Olivia writes the opening line first. ';
const EDDIE = ' Eddie adds a closing line at the end.';

test('two people type into one description at the same time: both, and a fresh page, keep every character', async ({ browser }) => {
	const mine = await openEditor(owner.page, 'Launch email');
	await owner.page.keyboard.type(BASE);
	const theirs = await openEditor(editor.page, 'Launch email');
	await expect.poll(() => editorText(theirs.editor)).toBe(BASE);

	// Olivia at the very start, Eddie at the very end, both typing at once: their keystrokes interleave.
	await mine.editor.press('Control+Home');
	await theirs.editor.press('Control+End');
	await Promise.all([owner.page.keyboard.type(OLIVIA, { delay: 15 }), editor.page.keyboard.type(EDDIE, { delay: 15 })]);

	const expected = `${OLIVIA}${BASE}${EDDIE}`;
	await expect.poll(() => editorText(mine.editor)).toBe(expected);
	await expect.poll(() => editorText(theirs.editor)).toBe(expected);

	// Each sees where the other is, with their name.
	await expect(mine.editor.locator('.cm-ySelectionCaret')).toHaveCount(1);
	await expect(mine.editor.locator('.cm-ySelectionInfo')).toHaveText(editor.name);
	await expect(mine.editor.locator('.cm-ySelectionInfo')).toBeVisible();
	await expect(theirs.editor.locator('.cm-ySelectionInfo')).toHaveText(owner.name);
	await owner.page.screenshot({ path: test.info().outputPath('card-dialog-desktop.png') });

	// A page opened afterwards in a new browser context (Olivia's session cookie, but no IndexedDB copy: everything
	// comes from the server) has all of it, in the rendered preview and in the editor.
	const freshContext = await browser.newContext({ storageState: await owner.context.storageState() });
	const fresh = await freshContext.newPage();
	await fresh.goto(boardUrl);
	await waitForBoard(fresh);
	await card(fresh, 'Launch email').click();
	const freshDialog = fresh.getByTestId('card-dialog');
	await expect(freshDialog.getByTestId('description-rendered').locator('p')).toHaveText([`${OLIVIA}Intro.`, `Outro.${EDDIE}`]);
	await freshDialog.getByRole('button', { name: 'Edit', exact: true }).click();
	await expect.poll(() => editorText(freshDialog.getByRole('textbox', { name: 'Description (markdown)' }))).toBe(expected);
	await freshContext.close();

	// Escape first leaves the editor (focus goes to its Edit button), Tab comes back to it, a second Escape closes.
	await editor.page.keyboard.press('Escape');
	await expect(theirs.dialog).toBeVisible();
	await expect(theirs.dialog.getByRole('button', { name: 'Edit', exact: true })).toBeFocused();
	await editor.page.keyboard.press('Tab');
	await editor.page.keyboard.press('Tab');
	await expect(theirs.editor).toBeFocused();
	await editor.page.keyboard.press('Escape');
	await editor.page.keyboard.press('Escape');
	await expect(theirs.dialog).toHaveCount(0);
	// Closing the card takes Eddie's caret out of Olivia's editor.
	await expect(mine.editor.locator('.cm-ySelectionCaret')).toHaveCount(0);
	await mine.dialog.getByRole('button', { name: 'Close' }).click();
});

test('a viewer gets the rendered description only', async () => {
	// A viewer's tile is marked aria-disabled (it cannot be dragged), so Playwright will not click it: open it the
	// keyboard way, which a viewer can.
	await card(viewer.page, 'Launch email').focus();
	await viewer.page.keyboard.press('Enter');
	const dialog = viewer.page.getByTestId('card-dialog');
	await expect(dialog.getByTestId('description-rendered')).toContainText(OLIVIA.trim());
	await expect(dialog.getByRole('textbox', { name: 'Description (markdown)' })).toHaveCount(0);
	await expect(dialog.getByRole('button', { name: 'Edit', exact: true })).toHaveCount(0);
	await expect(dialog.getByLabel('Stage', { exact: true })).toHaveCount(0);
	await dialog.getByRole('button', { name: 'Close' }).click();
});

test('the stage picker moves a card without dragging, and a hard WIP limit refuses with its notice', async () => {
	const settings = await openStageSettings(owner.page, 'Review');
	await settings.getByLabel('WIP limit').fill('1');
	await settings.getByLabel('Hard (refuse)').check();
	await settings.getByRole('button', { name: 'Save limit' }).click();
	await settings.getByRole('button', { name: 'Close' }).click();
	await expect(stage(editor.page, 'Review').getByTestId('wip')).toContainText('0 / 1');

	await card(editor.page, 'Press kit').click();
	let dialog = editor.page.getByTestId('card-dialog');
	await dialog.getByLabel('Stage', { exact: true }).selectOption({ label: 'Review' });
	await expect(dialog.getByTestId('card-meta')).toContainText('In Review since');
	await expect(stage(owner.page, 'Review').getByTestId('card-title')).toHaveText(['Press kit']);
	await dialog.getByRole('button', { name: 'Close' }).click();

	await card(editor.page, 'Launch email').click();
	dialog = editor.page.getByTestId('card-dialog');
	await dialog.getByLabel('Stage', { exact: true }).selectOption({ label: 'Review' });
	await expect(dialog.getByTestId('move-refusal')).toContainText('Review is at its WIP limit of 1 card');
	await expect(dialog.getByLabel('Stage', { exact: true }).locator('option:checked')).toHaveText('To do');
	await expect(editor.page.getByTestId('notice')).toContainText('Review is at its WIP limit of 1 card');
	await expect(stage(owner.page, 'To do').getByTestId('card-title')).toHaveText(['Launch email']);
	await dialog.getByRole('button', { name: 'Close' }).click();
});

test('on a 390×844 phone the card dialog fits the screen and scrolls inside itself', async () => {
	const page = owner.page;
	await page.setViewportSize({ width: 390, height: 844 });
	await card(page, 'Launch email').click();
	const dialog = page.getByTestId('card-dialog');
	await expect(dialog.getByTestId('description-rendered')).toBeVisible();
	const box = await dialog.boundingBox();
	expect(box).not.toBeNull();
	expect(box!.x).toBeGreaterThanOrEqual(0);
	expect(box!.y).toBeGreaterThanOrEqual(0);
	expect(box!.x + box!.width).toBeLessThanOrEqual(390);
	expect(box!.y + box!.height).toBeLessThanOrEqual(844);
	// Nothing inside is wider than the dialog: no sideways scrolling.
	const overflowing = await dialog.evaluate((el) => {
		const right = el.getBoundingClientRect().right;
		return [...el.querySelectorAll('*')].filter((child) => child.getBoundingClientRect().right > right + 0.5).map((child) => child.outerHTML.slice(0, 80));
	});
	expect(overflowing).toEqual([]);
	await page.screenshot({ path: test.info().outputPath('card-dialog-phone.png') });

	// The last thing in the dialog is reachable by scrolling the dialog, and the editor works at this size.
	const archive = dialog.getByRole('button', { name: 'Archive card' });
	await archive.scrollIntoViewIfNeeded();
	await expect(archive).toBeInViewport();
	await dialog.getByRole('button', { name: 'Edit', exact: true }).click();
	await expect(dialog.getByRole('textbox', { name: 'Description (markdown)' })).toBeInViewport();
	const editorBox = await dialog.getByTestId('description-editor').boundingBox();
	expect(editorBox!.x + editorBox!.width).toBeLessThanOrEqual(box!.x + box!.width);
	await page.screenshot({ path: test.info().outputPath('card-dialog-phone-editing.png') });
	await dialog.getByRole('button', { name: 'Close' }).click();
	await page.setViewportSize({ width: 1280, height: 800 });
});
