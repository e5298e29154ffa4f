import { expect, test, type Page } from './fixtures.ts';
import { addCard, boardWithPeople, card, dragCardTo, openStageSettings, stage, waitForBoard, type Person } from './board-helpers.ts';
import { addDays, dayInZone, isWorkingDay, subtractWorkingDays, workingDaysBetween } from '../../src/lib/board/plan/working-days.ts';

test.describe.configure({ mode: 'serial' });

const ZONE = 'Europe/Berlin';
const TITLE = 'Spring launch post';
let owner: Person;
let editor: Person;
let boardUrl = '';

// The board's steps: To do (Writer, 10 working days before the target), In progress (Writer, 5 working days),
// Review (2 calendar days, signed off by the editor).
const due = {
	todo: (target: string) => subtractWorkingDays(target, 10),
	doing: (target: string) => subtractWorkingDays(target, 5),
	review: (target: string) => addDays(target, -2)
};
const today = () => dayInZone(new Date(), ZONE);

test.beforeAll(async ({ browser }) => {
	test.setTimeout(120_000);
	const setup = await boardWithPeople(browser, 'Launch plans', ['editor']);
	({ owner, boardUrl } = setup);
	editor = setup.others[0]!;
});

test.afterAll(async () => {
	for (const person of [owner, editor]) await person?.context.close();
});

function planStep(page: Page, stageName: string) {
	return page.getByTestId('card-dialog').getByTestId('plan-step').filter({ hasText: stageName }).first();
}

async function setTarget(page: Page, day: string): Promise<void> {
	await page.getByTestId('card-dialog').getByLabel('Target date').fill(day);
}

async function expectDues(page: Page, dues: Record<string, string>): Promise<void> {
	// Every change went through: the dialog shows no refusal.
	await expect(page.getByTestId('card-dialog').getByRole('alert')).toHaveCount(0);
	for (const [name, day] of Object.entries(dues)) {
		await expect(planStep(page, name)).toHaveAttribute('data-due', day);
		await expect(planStep(page, name).getByTestId('step-due').locator('time')).toHaveAttribute('datetime', day);
	}
}

/** Picks a card up with the keyboard, moves it one stage right and drops it. */
async function moveRightWithKeyboard(page: Page, title: string): Promise<void> {
	await card(page, title).focus();
	await page.keyboard.press('Space');
	await expect(page.getByTestId('announcer')).toContainText(`Picked up ${title}`);
	await page.keyboard.press('ArrowRight');
	await expect(page.getByTestId('announcer')).toContainText(`${title}: `);
	await page.keyboard.press('Space');
}

async function openCard(page: Page, title: string) {
	await card(page, title).click();
	const dialog = page.getByTestId('card-dialog');
	await expect(dialog).toBeVisible();
	return dialog;
}

test('stages become steps in the stage dialog; a target date plans them, re-plans them, and keeps a date set by hand', async () => {
	test.setTimeout(90_000);
	const page = owner.page;
	// A team role held by the owner (the process hands them the card in its steps, so the editor, who signs off, never owns it), and the board’s time zone, in the settings.
	await page.goto(`${boardUrl}/settings`);
	const roles = page.getByTestId('team-roles');
	await roles.getByLabel('New team role').fill('Writer');
	await roles.getByRole('button', { name: 'Add role' }).click();
	const writer = roles.getByTestId('team-role').filter({ hasText: 'Writer' });
	await writer.getByLabel(owner.name).check();
	await writer.getByRole('button', { name: 'Save who holds Writer' }).click();
	await expect(roles.getByRole('status')).toContainText('Role holders saved');
	const zone = page.getByTestId('board-time-zone');
	await expect(zone.getByLabel('Time zone')).toHaveValue('UTC');
	await zone.getByLabel('Time zone').fill('Mars/Olympus');
	await zone.getByRole('button', { name: 'Save time zone' }).click();
	await expect(zone.getByRole('alert')).toContainText('not a time zone');
	await zone.getByLabel('Time zone').fill(ZONE);
	await zone.getByRole('button', { name: 'Save time zone' }).click();
	await expect(zone.getByRole('status')).toContainText(`Plans now count days in ${ZONE}`);

	await page.goto(boardUrl);
	await waitForBoard(page);
	for (const [name, offset, unit] of [
		['To do', '10', 'Working days'],
		['In progress', '5', 'Working days'],
		['Review', '2', 'Calendar days']
	] as const) {
		const dialog = await openStageSettings(page, name);
		const step = dialog.getByTestId('step-settings');
		if (name !== 'Review') await step.getByLabel('Owner team role').selectOption('Writer');
		await step.getByLabel('Due, in days before the target date').fill(offset);
		await step.getByLabel(unit).check();
		if (name === 'Review') {
			await step.getByLabel('Cards need sign-off').check();
			// Sign-off without approvers is refused with a message, and nothing is saved.
			await step.getByRole('button', { name: 'Save step' }).click();
			await expect(step.getByRole('alert')).toHaveText('Choose who signs off: a team role, members, or both.');
			await step.getByLabel(editor.name).check();
			await expect(step.getByLabel('Stage a rejected card goes to')).toBeDisabled();
			await step.getByLabel('Send it to a stage').check();
			await step.getByRole('button', { name: 'Save step' }).click();
			await expect(step.getByRole('alert')).toHaveText('Choose the stage a rejected card goes to, or archive it.');
			await step.getByLabel('Stage a rejected card goes to').selectOption({ label: 'Backlog' });
			await step.getByLabel('When someone requests changes').selectOption({ label: 'Send it back to In progress' });
		}
		await step.getByRole('button', { name: 'Save step' }).click();
		await expect(step.getByRole('status')).toHaveText('Step saved.');
		await dialog.getByRole('button', { name: 'Close' }).click();
		await expect(stage(page, name).getByTestId('stage-step')).toBeVisible();
	}
	// The rule reads back as saved.
	const saved = (await openStageSettings(page, 'Review')).getByTestId('step-settings');
	await expect(saved.getByLabel('Due, in days before the target date')).toHaveValue('2');
	await expect(saved.getByLabel('Calendar days')).toBeChecked();
	await expect(saved.getByLabel(editor.name)).toBeChecked();
	await expect(saved.getByLabel('When someone requests changes').locator('option:checked')).toHaveText('Send it back to In progress');
	await expect(saved.getByLabel('Stage a rejected card goes to').locator('option:checked')).toHaveText('Backlog');
	await page.getByTestId('stage-dialog').getByRole('button', { name: 'Close' }).click();
	await expect(stage(page, 'Review').getByTestId('stage-step')).toHaveText('Step: 2 d · sign-off');

	await addCard(page, 'To do', TITLE);
	// No target date yet: the tile shows the step without a date, the dialog says how to plan.
	await expect(card(page, TITLE).getByTestId('step-due')).toHaveCount(0);
	let dialog = await openCard(page, TITLE);
	await expect(dialog.getByTestId('card-plan')).toContainText('Set a target date to give the steps their dates.');
	await expect(dialog.getByTestId('plan-step')).toHaveCount(3);

	const t1 = addDays(today(), 60);
	await setTarget(page, t1);
	// A date typed only in part is not a date: said so, and the target date stays.
	await dialog.getByLabel('Target date').focus();
	await page.keyboard.press('Backspace');
	await expect(dialog.getByTestId('target-problem')).toHaveText('That is not a whole date: pick a day, month and year.');
	await setTarget(page, t1);
	await expect(dialog.getByTestId('target-problem')).toHaveCount(0);
	await expectDues(page, { 'To do': due.todo(t1), 'In progress': due.doing(t1), Review: due.review(t1) });
	await expect(planStep(page, 'To do')).toHaveAttribute('data-status', 'current');
	await expect(planStep(page, 'In progress').getByTestId('step-status')).toHaveText('Upcoming');
	// Steps the card is not in show who holds their team role.
	await expect(planStep(page, 'In progress').getByTestId('step-owner')).toContainText(owner.name);
	await expect(dialog.getByTestId('card-plan')).toContainText(`counts back from it in ${ZONE}`);

	// Moving the target date moves every unfinished step at once.
	const t2 = addDays(t1, 7);
	await setTarget(page, t2);
	await expectDues(page, { 'To do': due.todo(t2), 'In progress': due.doing(t2), Review: due.review(t2) });

	// A date set by hand is marked, and stays through a re-plan until it is reset.
	const byHand = subtractWorkingDays(t2, 8);
	await planStep(page, 'In progress').getByRole('button', { name: 'Change the date of In progress' }).click();
	await planStep(page, 'In progress').getByLabel('Date of In progress').fill(byHand);
	await expect(planStep(page, 'In progress')).toHaveAttribute('data-due', byHand);
	await expect(planStep(page, 'In progress').getByTestId('by-hand')).toHaveText('set by hand');
	const t3 = addDays(t2, 14);
	await setTarget(page, t3);
	await expectDues(page, { 'To do': due.todo(t3), 'In progress': byHand, Review: due.review(t3) });
	await expect(planStep(page, 'In progress')).toHaveAttribute('data-by-hand', 'true');
	await planStep(page, 'In progress').getByRole('button', { name: 'Reset the date of In progress to the plan' }).click();
	await expectDues(page, { 'In progress': due.doing(t3) });
	await expect(planStep(page, 'In progress').getByTestId('by-hand')).toHaveCount(0);

	// The tile shows the current step's date.
	await dialog.getByRole('button', { name: 'Close' }).click();
	const tileDue = card(page, TITLE).getByTestId('step-due');
	await expect(tileDue).toHaveAttribute('data-day', due.todo(t3));
	await expect(tileDue).toHaveAttribute('data-status', 'current');
	await expect(tileDue).toContainText('To do due');

	// A target date too close for the plan: the steps already past can't fit, by how many working days.
	dialog = await openCard(page, TITLE);
	const soon = addDays(today(), 3);
	await setTarget(page, soon);
	const now = today();
	const earliest = isWorkingDay(now) ? now : subtractWorkingDays(now, -1);
	const short = workingDaysBetween(due.todo(soon), earliest);
	await expect(planStep(page, 'To do')).toHaveAttribute('data-status', 'cannot_fit');
	await expect(planStep(page, 'To do').getByTestId('step-status')).toHaveText(`Can't fit — ${short} working day${short === 1 ? '' : 's'} short`);
	await expect(planStep(page, 'Review')).toHaveAttribute('data-status', 'upcoming');
	await expect(card(page, TITLE).getByTestId('step-due')).toHaveAttribute('data-status', 'cannot_fit');
	await page.screenshot({ path: test.info().outputPath('cannot-fit.png') });

	// Clearing the target date takes the dates away again.
	await dialog.getByRole('button', { name: 'Clear' }).first().click();
	await expect(dialog.getByLabel('Target date')).toHaveValue('');
	await expect(planStep(page, 'To do')).toHaveAttribute('data-due', '');
	await setTarget(page, t3);
	await expectDues(page, { 'To do': due.todo(t3) });
	await dialog.getByRole('button', { name: 'Close' }).click();

	// Another member sees the same plan live.
	await expect(card(editor.page, TITLE).getByTestId('step-due')).toHaveAttribute('data-day', due.todo(t3));
});

test('a stage that needs sign-off keeps a card from moving on until it is signed off; approvers see it waiting for them', async () => {
	const page = owner.page;
	// Forward out of steps without sign-off is free: to Review with the keyboard.
	await moveRightWithKeyboard(page, TITLE);
	await expect(page.getByTestId('announcer')).toHaveText(`Dropped ${TITLE} in In progress, position 1.`);
	await moveRightWithKeyboard(page, TITLE);
	await expect(page.getByTestId('announcer')).toHaveText(`Dropped ${TITLE} in Review, position 1.`);
	await expect(stage(page, 'Review').getByTestId('card')).toHaveCount(1);
	await expect(card(page, TITLE).getByTestId('signoff-badge')).toHaveText('Needs sign-off 0/1');
	const refusal = "Can't leave Review before it is signed off (0 of 1 approvals so far).";

	// Keyboard: picked up, moved right, dropped: refused, said why, and it stays.
	await moveRightWithKeyboard(page, TITLE);
	await expect(page.getByTestId('announcer')).toHaveText(`Not moved. ${refusal}`);
	await expect(page.getByTestId('notice')).toContainText(refusal);
	await expect(stage(page, 'Review').getByTestId('card')).toHaveCount(1);
	// Dragging it there is refused too.
	await page.getByTestId('notice').getByRole('button', { name: 'Dismiss' }).click();
	await dragCardTo(page, TITLE, 'Done');
	await expect(page.getByTestId('notice')).toContainText(refusal);
	await expect(stage(page, 'Done').getByTestId('card')).toHaveCount(0);
	await expect(stage(page, 'Review').getByTestId('card')).toHaveCount(1);

	// The owner is not an approver: the panel says where it stands, without buttons.
	let dialog = await openCard(page, TITLE);
	const panel = dialog.getByTestId('signoff-panel');
	await expect(panel.getByTestId('signoff-status')).toHaveText('Waiting for sign-off: 0 of 1 approvals');
	await expect(panel).toContainText(`Approvers: ${editor.name}`);
	await expect(panel.getByRole('button', { name: 'Approve' })).toHaveCount(0);
	await dialog.getByRole('button', { name: 'Close' }).click();

	// The editor approves it: the header counts it, the list opens it.
	const other = editor.page;
	const waiting = other.getByTestId('waiting-for-approval');
	await expect(waiting.getByTestId('approval-count')).toHaveText('1');
	await expect(page.getByTestId('waiting-for-approval')).toHaveCount(0);
	await waiting.getByRole('button', { name: /Waiting for my approval/ }).click();
	await other.screenshot({ path: test.info().outputPath('approval-list.png') });
	await waiting.getByTestId('approval-item').filter({ hasText: TITLE }).click();
	dialog = other.getByTestId('card-dialog');
	await expect(dialog).toBeVisible();
	const mine = dialog.getByTestId('signoff-panel');
	await expect(mine.getByRole('button', { name: 'Approve' })).toBeVisible();
	// Changes and rejections need a comment: said here, nothing sent.
	await mine.getByRole('button', { name: 'Request changes' }).click();
	await expect(mine.getByTestId('decision-problem')).toHaveText('Say what should change.');
	await mine.getByRole('button', { name: 'Reject' }).click();
	await expect(mine.getByTestId('decision-problem')).toHaveText('Say why you reject it.');
	await mine.scrollIntoViewIfNeeded();
	await other.screenshot({ path: test.info().outputPath('signoff-approver.png') });
	await dialog.getByRole('button', { name: 'Close' }).click();
});

test('the plan, the sign-off panel and the tiles fit a laptop and a phone', async () => {
	const page = owner.page;
	for (const size of [
		{ width: 1280, height: 800 },
		{ width: 390, height: 844 }
	]) {
		await page.setViewportSize(size);
		await expect(card(page, TITLE)).toBeAttached();
		await card(page, TITLE).scrollIntoViewIfNeeded();
		await page.screenshot({ path: test.info().outputPath(`board-${size.width}.png`) });
		const dialog = await openCard(page, TITLE);
		await expect(dialog.getByTestId('plan-step')).toHaveCount(3);
		await page.screenshot({ path: test.info().outputPath(`card-plan-${size.width}.png`) });
		await dialog.getByTestId('signoff-panel').scrollIntoViewIfNeeded();
		await page.screenshot({ path: test.info().outputPath(`card-signoff-${size.width}.png`) });
		// Nothing in the dialog is wider than the dialog.
		const overflow = await dialog.evaluate((el) => {
			const body = el.lastElementChild as HTMLElement;
			return body.scrollWidth - body.clientWidth;
		});
		expect(overflow).toBeLessThanOrEqual(0);
		await dialog.getByRole('button', { name: 'Close' }).click();
		const stageDialog = await openStageSettings(page, 'Review');
		await stageDialog.getByLabel('Approvals needed').scrollIntoViewIfNeeded().catch(() => undefined);
		await stageDialog.getByRole('button', { name: 'Save step' }).scrollIntoViewIfNeeded();
		await page.screenshot({ path: test.info().outputPath(`stage-step-${size.width}.png`) });
		await stageDialog.getByRole('button', { name: 'Close' }).click();
		expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(size.width);
	}
	await page.setViewportSize({ width: 1280, height: 800 });
});
