import ICAL from 'ical.js';
import { expect, test, type Page } from './fixtures.ts';
import { boardCommands } from '../../src/lib/board/doc/commands.ts';
import { LOCAL } from '../../src/lib/board/doc/origins.ts';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';
import { connectBoard, type SyncClient } from '../helpers/sync-client.ts';
import { boardWithPeople, type Person } from './board-helpers.ts';

test.describe.configure({ mode: 'serial' });

let owner: Person;
let boardUrl = '';
let client: SyncClient;
const TARGET = '2031-03-14';

/** Fetches a feed as a calendar app would: no cookie, straight from Node. */
async function fetchFeed(url: string): Promise<{ status: number; summaries: string[]; days: string[] }> {
	const res = await fetch(url);
	const body = await res.text();
	if (res.status !== 200) return { status: res.status, summaries: [], days: [] };
	const events = new ICAL.Component(ICAL.parse(body)).getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
	return { status: 200, summaries: events.map((e) => e.summary), days: events.map((e) => e.startDate.toString()) };
}

/** Nothing on the page is wider than the screen. */
async function fitsWidth(page: Page, width: number) {
	const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
	expect(scroll).toBeLessThanOrEqual(width);
	const box = await page.getByTestId('subscribe-dialog').boundingBox();
	expect(box!.x).toBeGreaterThanOrEqual(0);
	expect(box!.x + box!.width).toBeLessThanOrEqual(width);
}

test.beforeAll(async ({ browser, baseURL }) => {
	test.setTimeout(120_000);
	({ owner, boardUrl } = await boardWithPeople(browser, 'Feed board', []));
	await owner.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL! });
	const cookie = (await owner.context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
	client = connectBoard(baseURL!, boardUrl.split('/').pop()!, { cookie });
	await client.synced();
	const c = boardCommands(client.doc, { userId: 'setup', now: () => new Date() }, LOCAL);
	const stageId = (name: string) => readSnapshot(client.doc).stages.find((s) => s.name === name)!.id;
	c.setStageStep(stageId('In progress'), { ownerRole: 'Writer', offset: 5, unit: 'calendar', approval: null });
	c.setTarget(c.addCard(stageId('Backlog'), 'Spring launch') as string, TARGET);
});

test.afterAll(async () => {
	client?.destroy();
	await owner?.context.close();
});

for (const [label, viewport] of [
	['desktop', { width: 1280, height: 800 }],
	['phone', { width: 390, height: 844 }]
] as const) {
	test(`the calendar tab’s Subscribe: create a link, copy it, fetch it, reset it (the old one stops working), turn it off (${label})`, async () => {
		const { page } = owner;
		await page.setViewportSize(viewport);
		await page.goto(`${boardUrl}/calendar`);
		await expect(page.getByTestId('calendar')).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });

		// From the keyboard: the button opens the dialog, and the new link takes the focus.
		await page.getByTestId('calendar-subscribe').focus();
		await page.keyboard.press('Enter');
		const dialog = page.getByTestId('subscribe-dialog');
		await expect(dialog.getByRole('heading', { name: 'Subscribe in your calendar app' })).toBeVisible();
		await expect(dialog.getByTestId('feed-none')).toHaveText('No link yet.');
		await dialog.getByTestId('feed-create').focus();
		await page.keyboard.press('Enter');
		const urlField = dialog.getByTestId('feed-url');
		await expect(urlField).toBeFocused();
		const url = await urlField.inputValue();
		expect(url).toMatch(/\/calendar\/[a-z2-7]{32}\.ics$/);
		await expect(dialog.getByTestId('feed-webcal')).toHaveAttribute('href', url.replace(/^http:/, 'webcal:'));
		await fitsWidth(page, viewport.width);
		await page.screenshot({ path: `test-results/calendar-subscribe-${label}.png` });

		await dialog.getByTestId('feed-copy').click();
		await expect(dialog.getByTestId('feed-copy')).toHaveText('Copied');
		expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);

		const fetched = await fetchFeed(url);
		expect(fetched.status).toBe(200);
		expect(fetched.summaries).toEqual(['Feed board: Spring launch — In progress due (Writer)', 'Feed board: Spring launch — target date']);
		expect(fetched.days).toEqual(['2031-03-09', TARGET]);

		await dialog.getByTestId('feed-reset').click();
		await expect(urlField).not.toHaveValue(url);
		await expect(dialog.getByTestId('feed-said')).toHaveText(/New link made\. The old link no longer works/);
		const fresh = await urlField.inputValue();
		expect((await fetchFeed(url)).status).toBe(404);
		expect((await fetchFeed(fresh)).status).toBe(200);

		// Closed and opened again: the link is on, fetched once, and no longer shown.
		await page.keyboard.press('Escape');
		await expect(dialog).toHaveCount(0);
		await page.getByTestId('calendar-subscribe').click();
		await expect(dialog.getByTestId('feed-status')).toContainText('a calendar app last fetched it');
		await expect(dialog.getByTestId('feed-url')).toHaveCount(0);
		await fitsWidth(page, viewport.width);
		await page.screenshot({ path: `test-results/calendar-subscribe-on-${label}.png` });
		await dialog.getByTestId('feed-off').click();
		await expect(dialog.getByTestId('feed-none')).toBeVisible();
		expect((await fetchFeed(fresh)).status).toBe(404);
		await page.keyboard.press('Escape');
	});
}

test('the account page’s “My steps calendar” makes a person’s link the same way', async () => {
	const { page } = owner;
	await page.setViewportSize({ width: 390, height: 844 });
	await page.goto('/account');
	const section = page.getByRole('region', { name: 'My steps calendar' });
	await section.getByRole('button', { name: 'Create link' }).click();
	const url = await section.getByTestId('feed-url').inputValue();
	const res = await fetch(url);
	expect(res.status).toBe(200);
	expect(new ICAL.Component(ICAL.parse(await res.text())).getFirstPropertyValue('x-wr-calname')).toBe('My steps · Flowdeck');
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
	await section.screenshot({ path: 'test-results/account-my-steps-390.png' });
	await section.getByRole('button', { name: 'Turn off' }).click();
	await expect(section.getByTestId('feed-none')).toBeVisible();
	expect((await fetch(url)).status).toBe(404);
});
