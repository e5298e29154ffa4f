import { expect, test } from './fixtures.ts';
import { addCard, boardWithPeople, card, moveWithMenu, type Person } from './board-helpers.ts';

test.describe.configure({ mode: 'serial' });

let owner: Person;
let editor: Person;
let boardUrl = '';

test.beforeAll(async ({ browser }) => {
	test.setTimeout(120_000);
	const setup = await boardWithPeople(browser, 'Standup board', ['editor']);
	({ owner, boardUrl } = setup);
	editor = setup.others[0]!;
	await addCard(owner.page, 'To do', 'Shipped post');
	await addCard(owner.page, 'To do', 'Draft post');
	await moveWithMenu(owner.page, 'Shipped post', 'Done');
	await expect(card(owner.page, 'Shipped post')).toHaveCount(1);
	// The owner owns the draft, for the by-person walk.
	await card(owner.page, 'Draft post').click();
	await owner.page.getByTestId('card-dialog').getByRole('checkbox', { name: owner.name, exact: true }).check();
	await owner.page.keyboard.press('Escape');
});

test.afterAll(async () => {
	for (const person of [owner, editor]) await person?.context.close();
});

test('a standup walks the board right to left while another member follows, and ends with a posted summary', async () => {
	await owner.page.getByRole('link', { name: 'Standup', exact: true }).click();
	const facilitator = owner.page.getByTestId('standup');
	await expect(facilitator).toHaveAttribute('data-ready', 'true');
	await facilitator.getByRole('button', { name: 'Start standup' }).click();
	await expect(facilitator).toHaveAttribute('data-role', 'facilitator');

	await editor.page.goto(`${boardUrl}/standup`);
	const follower = editor.page.getByTestId('standup');
	await expect(follower).toHaveAttribute('data-role', 'follower');
	await expect(follower.getByTestId('follow-bar')).toContainText(`${owner.name} is running the standup.`);

	// Done first: the finished card, with what changed since the last standup.
	await expect(facilitator.getByTestId('standup-card')).toContainText('Shipped post');
	await expect(facilitator.getByTestId('standup-changes').locator('[data-kind="finished"]')).toContainText(`${owner.name} finished it (Done)`);
	await expect(follower.getByTestId('standup-card')).toContainText('Shipped post');

	// → moves everyone on; the follower's own arrows do not steer.
	await owner.page.keyboard.press('ArrowRight');
	await expect(follower.getByTestId('standup-card')).toContainText('Draft post');
	await editor.page.keyboard.press('ArrowLeft');
	await expect(follower.getByTestId('standup-card')).toContainText('Draft post');
	await expect(facilitator.getByTestId('standup-position')).toHaveText('Card 2 of 2');
	// ← goes back, for everyone.
	await owner.page.keyboard.press('ArrowLeft');
	await expect(follower.getByTestId('standup-card')).toContainText('Shipped post');
	await owner.page.keyboard.press('ArrowRight');
	await owner.page.keyboard.press('ArrowRight');
	await expect(follower.getByTestId('standup-wrapping-up')).toBeVisible();

	const wrapup = facilitator.getByTestId('standup-wrapup');
	// Before ending, the facilitator sees the summary as a preview; followers see it too.
	await expect(wrapup.getByTestId('standup-summary')).toHaveAttribute('data-final', 'false');
	await expect(wrapup.getByTestId('summary-finished')).toContainText('Shipped post (Done)');
	await expect(follower.getByTestId('standup-summary')).toHaveAttribute('data-final', 'false');
	await expect(follower.getByTestId('summary-finished')).toContainText('Shipped post (Done)');
	await expect(wrapup.getByRole('checkbox', { name: 'Post the summary to the board’s activity' })).toBeChecked();
	await wrapup.getByRole('button', { name: 'End standup' }).click();
	const summary = facilitator.getByTestId('standup-summary');
	await expect(summary.getByTestId('summary-finished')).toContainText('Shipped post (Done)');
	await expect(summary.getByTestId('summary-posted')).toBeVisible();
	await expect(summary.getByTestId('summary-text')).toHaveValue(/Finished \(1\):\n- Shipped post \(Done\)/);
	await expect(follower.getByTestId('standup-over')).toBeVisible();
	// The follower sees the summary the standup ended with.
	await expect(follower.getByTestId('standup-summary')).toHaveAttribute('data-final', 'true');
	await expect(follower.getByTestId('summary-text')).toHaveValue(/Finished \(1\):\n- Shipped post \(Done\)/);

	// The summary is in the board's activity, as the facilitator's.
	const activity = await editor.page.request.get(`/api/boards/${boardUrl.split('/b/')[1]}/activity?kind=board`);
	expect(JSON.stringify(await activity.json())).toContain('ran a standup: 1 finished');

	// The next standup's window starts where this one ended: the move is no longer news.
	await owner.page.goto(`${boardUrl}/standup`);
	await owner.page.getByRole('button', { name: 'Start standup' }).click();
	await expect(facilitator.getByTestId('standup-card')).toContainText('Shipped post');
	await expect(facilitator.getByTestId('standup-no-changes')).toBeVisible();
	await owner.page.keyboard.press('Escape');
	await expect(owner.page).toHaveURL(boardUrl);
});

test('by person (in a standup picked up again): each owner’s cards in turn with a speaker timer, on the facilitator’s and a follower’s phone', async () => {
	await editor.page.setViewportSize({ width: 390, height: 800 });
	await owner.page.goto(`${boardUrl}/standup`);
	const facilitator = owner.page.getByTestId('standup');
	// The standup the owner left with Escape is still theirs to run: the page picks it up again.
	await expect(facilitator).toHaveAttribute('data-role', 'facilitator');
	await facilitator.getByRole('button', { name: 'Go by person' }).click();

	await expect(facilitator.getByTestId('speaker-name')).toHaveText(owner.name);
	await expect(facilitator.getByTestId('standup-card')).toContainText('Draft post');
	const timer = facilitator.getByTestId('speaker-timer');
	await expect(timer).toHaveAttribute('data-state', 'ok');
	await expect(timer).toContainText('/ 2:00');
	await expect(timer).toContainText(/0:0[1-9]/);

	await editor.page.goto(`${boardUrl}/standup`);
	const follower = editor.page.getByTestId('standup');
	await expect(follower.getByTestId('speaker-name')).toHaveText(owner.name);
	await expect(follower.getByTestId('speaker-timer')).toBeVisible();
	await expect(follower.getByTestId('standup-card')).toContainText('Draft post');
	expect(await editor.page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(390);

	// The next turn is the cards nobody owns.
	await owner.page.keyboard.press('ArrowRight');
	await expect(follower.getByTestId('speaker-name')).toHaveText('Cards nobody owns');
	await expect(follower.getByTestId('standup-card')).toContainText('Shipped post');

	// A follower can stop following and look around on their own.
	await follower.getByRole('button', { name: 'Stop following' }).click();
	await expect(follower).toHaveAttribute('data-role', 'solo');
	await editor.page.keyboard.press('ArrowRight');
	await expect(follower.getByTestId('standup-card')).toContainText('Draft post');
	await owner.page.keyboard.press('ArrowLeft');
	await expect(follower.getByTestId('standup-card')).toContainText('Draft post');
	await follower.getByRole('button', { name: `Follow ${owner.name}` }).click();
	await expect(follower.getByTestId('standup-card')).toContainText('Draft post');
});

test('a standup started from a filtered board walks only the matching cards; the follower follows it and sees the summary, also on a phone', async () => {
	const boardId = boardUrl.split('/b/')[1]!;
	// End the standup the last test left running, through the API as the facilitator's page does.
	const running = (await (await owner.page.request.get(`/api/boards/${boardId}/standup`)).json()) as { running: { id: string } | null };
	if (running.running) {
		const origin = new URL(boardUrl).origin;
		expect((await owner.page.request.post(`/api/boards/${boardId}/standup/${running.running.id}/end`, { data: { post: false }, headers: { origin } })).status()).toBe(200);
	}

	// Coming from a board filtered by a person nobody is: the mistake is marked in place and nothing starts.
	await owner.page.goto(`${boardUrl}/standup?q=${encodeURIComponent('owner:@nobody')}`);
	const facilitator = owner.page.getByTestId('standup');
	await expect(facilitator).toHaveAttribute('data-ready', 'true');
	const field = facilitator.getByTestId('standup-filter-input');
	await expect(field).toHaveValue('owner:@nobody');
	await expect(facilitator.getByTestId('standup-filter-input-error').locator('mark')).toHaveText('owner:@nobody');
	await expect(facilitator.getByRole('button', { name: 'Start standup' })).toBeDisabled();
	// The start screen fits a phone, mistake and all.
	await owner.page.setViewportSize({ width: 390, height: 800 });
	expect(await owner.page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(390);
	await owner.page.screenshot({ path: '/tmp/standup-start-390.png' });
	await owner.page.setViewportSize({ width: 1280, height: 720 });
	await field.fill('owner:@olivia');
	await expect(facilitator.getByTestId('standup-filter-count')).toHaveText('1 card match.');
	await facilitator.getByRole('button', { name: 'Start standup' }).click();
	await expect(facilitator).toHaveAttribute('data-role', 'facilitator');
	await expect(facilitator.getByTestId('standup-filter')).toContainText('owner:@olivia');
	await expect(facilitator.getByTestId('standup-card')).toContainText('Draft post');
	await expect(facilitator.getByTestId('standup-position')).toHaveText('Card 1 of 1');

	// The follower (on a phone) gets the facilitator's filter and card.
	await editor.page.setViewportSize({ width: 390, height: 800 });
	await editor.page.goto(`${boardUrl}/standup`);
	const follower = editor.page.getByTestId('standup');
	await expect(follower).toHaveAttribute('data-role', 'follower');
	await expect(follower.getByTestId('standup-filter')).toContainText('owner:@olivia');
	await expect(follower.getByTestId('standup-card')).toContainText('Draft post');
	await editor.page.screenshot({ path: '/tmp/standup-follower-390.png' });

	// The next card is the wrap-up: Shipped post does not match the filter and is never walked.
	await owner.page.keyboard.press('ArrowRight');
	await expect(facilitator.getByTestId('standup-wrapup').getByTestId('summary-filter')).toContainText('owner:@olivia');
	await expect(follower.getByTestId('standup-summary')).toHaveAttribute('data-final', 'false');
	await expect(follower.getByTestId('summary-finished')).toContainText('None.');
	await facilitator.getByRole('button', { name: 'End standup' }).click();
	await expect(facilitator.getByTestId('standup-summary')).toHaveAttribute('data-final', 'true');
	await expect(facilitator.getByTestId('summary-text')).toHaveValue(/^Standup on Standup board, cards matching owner:@olivia\n/);
	await expect(follower.getByTestId('standup-summary')).toHaveAttribute('data-final', 'true');
	await expect(follower.getByTestId('summary-filter')).toContainText('owner:@olivia');
	expect(await editor.page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(390);
	await editor.page.screenshot({ path: '/tmp/standup-summary-390.png', fullPage: true });
});
