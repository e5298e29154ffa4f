import { expect, test } from './fixtures.ts';
import { addCard, boardWithPeople, card, moveWithMenu, newPerson, openStageSettings, stage, waitForBoard } from './board-helpers.ts';
import { addDays, dayInZone } from '../../src/lib/board/plan/working-days.ts';

// A board whose steps are To do (10 days before the target), In progress (5) and Review (2): a card finished after its
// target day shows in the missed-deadline review; open cards carry their risk on the board and in the list.
test('the risk badge on tiles, the missed-deadline review and the risk list on the stats tab, at desktop and phone width', async ({ browser }) => {
	test.setTimeout(150_000);
	const { owner, boardUrl } = await boardWithPeople(browser, 'Deadline review', []);
	const page = owner.page;
	const today = dayInZone(new Date(), 'UTC');
	for (const [name, offset] of [['To do', '10'], ['In progress', '5'], ['Review', '2']] as const) {
		const dialog = await openStageSettings(page, name);
		const step = dialog.getByTestId('step-settings');
		await step.getByLabel('Due, in days before the target date').fill(offset);
		await step.getByLabel('Calendar days').check();
		await step.getByRole('button', { name: 'Save step' }).click();
		await expect(step.getByRole('status')).toHaveText('Step saved.');
		await dialog.getByRole('button', { name: 'Close' }).click();
		await expect(stage(page, name).getByTestId('stage-step')).toBeVisible();
	}
	const cards: [string, string, string][] = [
		['Late post', 'To do', addDays(today, -1)],
		['Tight post', 'In progress', addDays(today, 1)],
		['Roomy post', 'To do', addDays(today, 90)]
	];
	for (const [title, stageName, target] of cards) {
		await addCard(page, stageName, title);
		await card(page, title).click();
		const dialog = page.getByTestId('card-dialog');
		await dialog.getByLabel('Target date').fill(target);
		await expect(card(page, title).getByTestId('tile-plan')).toBeVisible();
		await dialog.getByRole('button', { name: 'Close' }).click();
		await expect(dialog).toHaveCount(0);
	}
	// Finished a day after its target day began: late.
	await moveWithMenu(page, 'Late post', 'Done');
	await expect(stage(page, 'Done').getByTestId('card')).toHaveCount(1);

	// The board asks for the risk when it opens: with no history yet, the steps' allowances stand in (8 days of work
	// ahead of a card in progress, due tomorrow).
	await page.setViewportSize({ width: 1280, height: 900 });
	await page.reload();
	await waitForBoard(page);
	await expect(card(page, 'Tight post').getByTestId('risk-badge')).toHaveAttribute('data-level', 'likely_late');
	await expect(card(page, 'Tight post').getByTestId('risk-badge')).toHaveText('Likely late · 0 % chance of being done by the target date');
	await expect(card(page, 'Roomy post').getByTestId('risk-badge')).toHaveAttribute('data-level', 'on_track');
	await expect(card(page, 'Late post').getByTestId('risk-badge')).toHaveCount(0);
	await page.screenshot({ path: '/tmp/deadlines-board.png' });

	await page.goto(`${boardUrl}/stats`);
	const missed = page.getByTestId('missed-deadlines');
	await expect(missed.getByTestId('missed-summary')).toContainText('1 of 1 cards with a target date finished after it');
	const late = missed.getByTestId('missed-card');
	await expect(late).toHaveCount(1);
	await expect(late).toContainText('Late post');
	await late.locator('summary').click();
	await expect(late.getByRole('table')).toContainText('After the last step');
	await expect(missed.getByTestId('lateness-steps')).toContainText('To do');
	const rows = page.getByTestId('risk-list').getByTestId('risk-row');
	await expect(rows).toHaveCount(2);
	await expect(rows.nth(0)).toContainText('Tight post');
	await expect(rows.nth(1)).toContainText('Roomy post');
	await missed.scrollIntoViewIfNeeded();
	await page.screenshot({ path: '/tmp/deadlines-stats.png', fullPage: false });

	// A phone: the section and the list fit the screen's width.
	await page.setViewportSize({ width: 390, height: 844 });
	await missed.scrollIntoViewIfNeeded();
	for (const section of [missed, page.getByTestId('risk-list')]) {
		const box = await section.boundingBox();
		expect(box!.x).toBeGreaterThanOrEqual(0);
		expect(box!.x + box!.width).toBeLessThanOrEqual(390);
	}
	await page.screenshot({ path: '/tmp/deadlines-stats-phone.png', fullPage: false });

	// Strangers learn nothing: the risk and review APIs answer 404.
	const other = await newPerson(browser, 'Sally Stranger');
	for (const path of ['process/risk', 'process/missed']) {
		const res = await other.page.request.get(`${boardUrl.replace('/b/', '/api/boards/')}/${path}`);
		expect(res.status()).toBe(404);
	}
	await other.context.close();
	await owner.context.close();
});
