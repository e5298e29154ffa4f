import { expect, test, type Page } from './fixtures.ts';
import { addCard, boardWithPeople, card, moveWithMenu, stage, waitForBoard, type Person } from './board-helpers.ts';
import { addDays, dayInZone } from '../../src/lib/board/plan/working-days.ts';

// The whole process as a marketing lead runs it: a board from the Blog post template with its team roles given to two
// people, a post due in 40 days with eight dated, owned steps, hand-offs the server makes as the post moves along, a
// sign-off by the second person in their own browser, and the publish date dragged on the calendar.
test.describe.configure({ mode: 'serial' });

const TITLE = '10 tips for spring campaigns';
/** The Blog post template's steps and how many calendar days before publishing each is due. */
const STEPS = [
	['Generate idea', 30],
	['Keyword research', 25],
	['Outline', 20],
	['Approve outline', 15],
	['Final draft', 10],
	['Images or infographics', 5],
	['Schedule social promotion', 4],
	['Publish and review the live version', 0]
] as const;

let lead: Person;
let sam: Person;
let boardUrl = '';
const target = addDays(dayInZone(new Date(), 'UTC'), 40);

test.beforeAll(async ({ browser }) => {
	test.setTimeout(120_000);
	// Sam already works with the lead on another board, so the lead can give Sam roles on a new one.
	const setup = await boardWithPeople(browser, 'Team backlog', ['editor']);
	lead = setup.owner;
	sam = setup.others[0]!;
});

test.afterAll(async () => {
	for (const person of [lead, sam]) await person?.context.close();
});

/** Ticks every exit criterion of the card's stage in its dialog, then moves it on with the "Move to…" menu. */
async function advance(page: Page, toStage: string): Promise<void> {
	await card(page, TITLE).click();
	const dialog = page.getByTestId('card-dialog');
	// Every stage on the way has exit criteria: wait for them to show before counting (the dialog loads lazily).
	const criteria = dialog.getByTestId('exit-criteria');
	await expect(criteria.getByRole('checkbox').first()).toBeVisible();
	const boxes = criteria.getByRole('checkbox');
	for (let i = 0; i < (await boxes.count()); i++) await boxes.nth(i).check();
	await expect(criteria.getByRole('checkbox', { checked: false })).toHaveCount(0);
	await dialog.getByRole('button', { name: 'Close' }).click();
	await moveWithMenu(page, TITLE, toStage);
	await expect(stage(page, toStage).getByTestId('card')).toHaveCount(1);
}

/** The tile's current step: its name, due day and owner. */
async function expectTileStep(page: Page, step: string, owner: string): Promise<void> {
	const due = card(page, TITLE).getByTestId('step-due');
	await expect(due).toContainText(`${step} due`);
	await expect(due).toContainText(owner);
}

test('a board from Blog post, a post due in 40 days: eight dated, owned steps without typing any of them', async () => {
	const page = lead.page;
	await page.goto('/');
	const form = page.getByTestId('new-board');
	await form.getByRole('radio', { name: /^Blog post/ }).check();
	await page.getByLabel('New board').fill('Blog');
	await form.getByLabel('Time zone').fill('UTC');
	// The lead writes and does the search work; Sam signs off the messaging and does the images and social posts.
	for (const role of ['Content strategist', 'SEO strategist', 'Blog writer']) await form.getByLabel(`${lead.name} as ${role}`).check();
	for (const role of ['Marketing stakeholder', 'Graphic designer', 'Social media manager']) await form.getByLabel(`${sam.name} as ${role}`).check();
	await form.getByRole('button', { name: 'Create board' }).click();
	await expect(page.getByTestId('board-name')).toHaveText('Blog');
	await waitForBoard(page);
	boardUrl = page.url();
	await sam.page.goto(boardUrl);
	await waitForBoard(sam.page);

	await addCard(page, 'Ideas backlog', TITLE);
	// New posts start with the template's quality checklist.
	await expect(card(page, TITLE).getByTestId('checklist-progress')).toContainText('0/');

	await card(page, TITLE).click();
	const dialog = page.getByTestId('card-dialog');
	await dialog.getByLabel('Target date').fill(target);
	const steps = dialog.getByTestId('plan-step');
	await expect(steps).toHaveCount(STEPS.length);
	for (const [i, [name, daysBefore]] of STEPS.entries()) {
		await expect(steps.nth(i)).toContainText(name);
		await expect(steps.nth(i)).toHaveAttribute('data-due', addDays(target, -daysBefore));
	}
	// Each step is owned by whoever holds its team role.
	await expect(steps.nth(2).getByTestId('step-owner')).toContainText(lead.name);
	await expect(steps.nth(5).getByTestId('step-owner')).toContainText(sam.name);
	await page.screenshot({ path: test.info().outputPath('plan-1280.png') });
	await dialog.getByRole('button', { name: 'Close' }).click();
});

test('moving the post along hands it to the next owner by itself; Sam approves the outline in his own browser', async () => {
	test.setTimeout(120_000);
	const page = lead.page;
	await advance(page, 'Generate idea');
	await expectTileStep(page, 'Generate idea', lead.name);
	await advance(page, 'Keyword research');
	await expectTileStep(page, 'Keyword research', lead.name);
	await advance(page, 'Outline');
	await expectTileStep(page, 'Outline', lead.name);

	// The outline waits for a marketing stakeholder's sign-off: Sam's.
	await advance(page, 'Approve outline');
	await expectTileStep(page, 'Approve outline', lead.name);
	await expect(card(page, TITLE).getByTestId('signoff-badge')).toHaveAttribute('data-status', 'pending');
	// Unsigned, it cannot move on.
	await moveWithMenu(page, TITLE, 'Final draft');
	await expect(page.getByTestId('notice')).toContainText("Can't leave Approve outline");
	await expect(stage(page, 'Approve outline').getByTestId('card')).toHaveCount(1);

	const waiting = sam.page.getByTestId('waiting-for-approval');
	await expect(waiting.getByTestId('approval-count')).toHaveText('1');
	await waiting.getByRole('button', { name: /Waiting for my approval/ }).click();
	await waiting.getByTestId('approval-item').filter({ hasText: TITLE }).click();
	const samDialog = sam.page.getByTestId('card-dialog');
	await samDialog.getByTestId('signoff-panel').getByRole('button', { name: 'Approve' }).click();
	await expect(samDialog.getByTestId('signoff-status')).toHaveAttribute('data-status', 'approved');
	await samDialog.getByRole('button', { name: 'Close' }).click();
	await expect(waiting.getByTestId('approval-count')).toHaveText('0');

	// The lead sees it approved live and moves it on; at the images step the server gives it to Sam by itself.
	await expect(card(page, TITLE).getByTestId('signoff-badge')).toHaveAttribute('data-status', 'approved');
	await page.getByTestId('notice').getByRole('button', { name: 'Dismiss' }).click();
	await advance(page, 'Final draft');
	await expectTileStep(page, 'Final draft', lead.name);
	await advance(page, 'Images or infographics');
	await expectTileStep(page, 'Images or infographics', sam.name);
	await expectTileStep(sam.page, 'Images or infographics', sam.name);

	// History says who did it: the hand-offs are the process's, on behalf of whoever moved the post.
	const activity = await page.request.get(`${boardUrl.replace('/b/', '/api/boards/')}/activity`);
	expect(activity.ok()).toBe(true);
	const text = JSON.stringify(await activity.json());
	expect(text).toContain(`handed “${TITLE}” to ${sam.name} for Images or infographics (moved by ${lead.name})`);
	expect(text).toContain(`approved “${TITLE}” in Approve outline`);
	expect(text).toContain(`"actor":"${sam.name}"`);
});

test('dragging the post to another day on the calendar moves its publish date and every open step with it', async () => {
	const page = lead.page;
	await page.getByRole('link', { name: 'Calendar' }).click();
	await page.goto(`${boardUrl}/calendar?date=${target}`);
	await expect(page.getByTestId('calendar')).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
	// A day in the same month, a week away.
	const moved = Number(target.slice(8)) > 14 ? addDays(target, -7) : addDays(target, 7);
	const chip = page.locator('[data-testid="calendar-card"]').filter({ hasText: TITLE });
	await expect(chip).toHaveAttribute('data-day', target);
	const from = (await chip.boundingBox())!;
	const to = (await page.locator(`[data-calendar-day="${moved}"]`).boundingBox())!;
	await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
	await page.mouse.down();
	await page.mouse.move(from.x + from.width / 2 + 10, from.y + from.height / 2 + 4, { steps: 3 });
	await page.mouse.move(to.x + to.width / 2, to.y + to.height - 12, { steps: 10 });
	await page.mouse.up();
	await expect(chip).toHaveAttribute('data-day', moved);

	// Every step still to do moved with it; the finished ones keep the day they were done.
	await chip.click();
	const steps = page.getByTestId('card-dialog').getByTestId('plan-step');
	for (const [i, [, daysBefore]] of STEPS.entries()) {
		if (i < 5) await expect(steps.nth(i)).toHaveAttribute('data-status', 'done');
		else await expect(steps.nth(i)).toHaveAttribute('data-due', addDays(moved, -daysBefore));
	}
	// Sam's board shows the new date too.
	await expect(card(sam.page, TITLE).getByTestId('step-due')).toHaveAttribute('data-day', addDays(moved, -5));
	await page.screenshot({ path: test.info().outputPath('calendar-1280.png'), fullPage: true });
});
