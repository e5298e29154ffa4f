import { expect, test } from './fixtures.ts';
import { addCard, boardWithPeople, card, waitForBoard, type Person } from './board-helpers.ts';

test.describe.configure({ mode: 'serial' });

let owner: Person;
let editor: Person;

test.beforeAll(async ({ browser }) => {
	test.setTimeout(120_000);
	const setup = await boardWithPeople(browser, 'Bell board', ['editor']);
	owner = setup.owner;
	editor = setup.others[0]!;
});

test.afterAll(async () => {
	for (const person of [owner, editor]) await person?.context.close();
});

test('assigning a card raises the assignee’s bell live; the inbox groups it by card and opens the card', async () => {
	const bell = editor.page.getByTestId('notification-bell');
	// The stream is open before anything happens, so the rise below is a push, not a page load.
	await expect(bell).toHaveAttribute('data-live', 'true');
	await expect(bell).toHaveAttribute('aria-label', 'Notifications, 0 unread');

	await addCard(owner.page, 'To do', 'Autumn campaign brief');
	await card(owner.page, 'Autumn campaign brief').click();
	const dialog = owner.page.getByTestId('card-dialog');
	await dialog.getByRole('checkbox', { name: editor.name, exact: true }).check();
	await owner.page.keyboard.press('Escape');

	await expect(bell).toHaveAttribute('aria-label', 'Notifications, 1 unread');
	await expect(editor.page.getByTestId('notification-count')).toHaveText('1');
	// The owner assigned nobody to themself: their bell stays at zero.
	await expect(owner.page.getByTestId('notification-bell')).toHaveAttribute('aria-label', 'Notifications, 0 unread');

	await bell.click();
	await expect(editor.page).toHaveURL(/\/inbox$/);
	const group = editor.page.getByTestId('inbox-group').filter({ hasText: 'Autumn campaign brief' });
	await expect(group.getByRole('heading')).toContainText('Bell board');
	await expect(group.getByRole('heading')).toContainText('Autumn campaign brief');
	const entry = group.getByTestId('inbox-entry');
	await expect(entry).toHaveAttribute('data-read', 'false');
	await group.getByRole('link', { name: 'Olivia Owner assigned you “Autumn campaign brief” on Bell board' }).click();

	await waitForBoard(editor.page);
	await expect(editor.page.getByTestId('card-dialog')).toBeVisible();
	await expect(editor.page.getByTestId('card-dialog')).toContainText('Autumn campaign brief');
	// Opening the entry marked it read.
	await expect(bell).toHaveAttribute('aria-label', 'Notifications, 0 unread');
});

test('the inbox marks one or all read, shows an empty state, and fits a phone', async ({ browser }) => {
	const page = editor.page;
	// Two more notifications for the editor: assignments on two cards.
	for (const title of ['Launch checklist', 'Press release']) {
		await addCard(owner.page, 'To do', title);
		await card(owner.page, title).click();
		await owner.page.getByTestId('card-dialog').getByRole('checkbox', { name: editor.name, exact: true }).check();
		await owner.page.keyboard.press('Escape');
	}
	const bell = page.getByTestId('notification-bell');
	await expect(bell).toHaveAttribute('aria-label', 'Notifications, 2 unread');
	await page.setViewportSize({ width: 390, height: 844 });
	await page.goto('/inbox');
	await expect(page.getByTestId('inbox-group')).toHaveCount(3);
	// Newest group first.
	await expect(page.getByTestId('inbox-group').first()).toContainText('Press release');
	const width = await page.evaluate(() => document.documentElement.scrollWidth);
	expect(width).toBeLessThanOrEqual(390);

	await page.getByRole('button', { name: 'Mark read: Olivia Owner assigned you “Launch checklist” on Bell board' }).click();
	await expect(bell).toHaveAttribute('aria-label', 'Notifications, 1 unread');
	await expect(page.getByTestId('inbox-unread')).toHaveText('1 unread');
	await page.getByRole('button', { name: 'Mark all read' }).click();
	await expect(bell).toHaveAttribute('aria-label', 'Notifications, 0 unread');
	await expect(page.getByTestId('inbox-unread')).toHaveText('Nothing unread.');
	await expect(page.locator('[data-testid="inbox-entry"][data-read="false"]')).toHaveCount(0);

	// The JSON API: the same groups; writes only from our own origin, in the documented shape, and only while signed in.
	const listed = await page.request.get('/api/notifications');
	expect(listed.status()).toBe(200);
	const inbox = (await listed.json()) as { unread: number; groups: { cardTitle: string; boardName: string; entries: { read: boolean }[] }[] };
	expect(inbox.unread).toBe(0);
	expect(inbox.groups.map((g) => g.cardTitle)).toEqual(['Press release', 'Launch checklist', 'Autumn campaign brief']);
	expect(inbox.groups.every((g) => g.boardName === 'Bell board' && g.entries.every((e) => e.read))).toBe(true);
	const origin = new URL(page.url()).origin;
	expect((await page.request.post('/api/notifications/read', { data: { all: true }, headers: { origin: 'https://evil.example' } })).status()).toBe(403);
	const bad = await page.request.post('/api/notifications/read', { data: { everything: 'please' }, headers: { origin } });
	expect(bad.status()).toBe(400);
	expect(((await bad.json()) as { message: string }).message).toBe('Send { "id": <notification id> } or { "all": true }.');
	const signedOut = await browser.newContext();
	expect((await signedOut.request.get(`${origin}/api/notifications/stream`)).status()).toBe(401);
	expect((await signedOut.request.get(`${origin}/api/notifications`)).status()).toBe(401);
	await signedOut.close();

	// Someone new has nothing yet.
	const { newPerson } = await import('./board-helpers.ts');
	const newcomer = await newPerson(browser, 'Nina Newcomer');
	await newcomer.page.goto('/inbox');
	await expect(newcomer.page.getByTestId('inbox-empty')).toContainText('No notifications yet.');
	await expect(newcomer.page.getByTestId('notification-bell')).toHaveAttribute('aria-label', 'Notifications, 0 unread');
	await newcomer.context.close();
});

test('a board owner sets the reminder times in settings; bad values get a message per field and save nothing', async () => {
	const page = owner.page;
	const boardUrl = page.url().split('?')[0]!.replace(/\/settings$/, '');
	await page.goto(`${boardUrl}/settings`);
	const section = page.getByRole('region', { name: 'Reminders' });
	const hours = section.getByLabel('Remind owners this many hours before a due date');
	const blocked = section.getByLabel('Tell the owners and the process owner when a card stays blocked for (hours)');
	await expect(hours).toHaveValue('48, 24');
	await expect(blocked).toHaveValue('24');

	await hours.fill('72, 48, 24, 12, 6');
	await blocked.fill('0');
	await section.getByRole('button', { name: 'Save reminders' }).click();
	await expect(section).toContainText('Give at most 4 reminder times.');
	await expect(section).toContainText('The blocked alert must be at least 1 hour.');
	// What was typed stays to be corrected.
	await expect(hours).toHaveValue('72, 48, 24, 12, 6');
	await page.reload();
	await expect(hours).toHaveValue('48, 24');
	await expect(blocked).toHaveValue('24');

	await hours.fill('72, 24');
	await blocked.fill('8');
	await section.getByRole('button', { name: 'Save reminders' }).click();
	await expect(section).toContainText('Reminder settings saved.');
	await page.reload();
	await expect(section.getByLabel('Remind owners this many hours before a due date')).toHaveValue('72, 24');
	await expect(section.getByLabel('Tell the owners and the process owner when a card stays blocked for (hours)')).toHaveValue('8');

	// An editor sees the values but no form.
	await editor.page.goto(`${boardUrl}/settings`);
	const theirs = editor.page.getByRole('region', { name: 'Reminders' });
	await expect(theirs).toContainText('Owners are reminded 72 and 24 hours before a due date; a card blocked for 8 hours is reported.');
	await expect(theirs.getByRole('button', { name: 'Save reminders' })).toHaveCount(0);
});
