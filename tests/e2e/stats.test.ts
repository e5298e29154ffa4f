import { expect, test, type Page } from './fixtures.ts';
import type { BoardStats } from '../../src/lib/server/stats.ts';
import { logIn } from './helpers.ts';

const CHARTS = ['chart-cfd', 'chart-scatter', 'chart-histogram', 'chart-throughput', 'chart-wip', 'chart-ageing', 'chart-time-in-stage'];

test('the stats tab of the demo board renders every chart without errors, and the date range updates them', async ({ page }) => {
	const errors: string[] = [];
	page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
	page.on('pageerror', (e) => errors.push(String(e)));
	await logIn(page, 'demo@flowdeck.local', 'flowdeck-demo-2026');
	await page.getByRole('link', { name: /Content publishing/ }).click();
	await page.getByRole('link', { name: 'Stats' }).click();
	// Late cards exist over the default 30 days of the demo (a narrow range may have none, and then no chart).
	for (const chart of [...CHARTS, 'chart-late-stages']) await expect(page.getByTestId(chart).locator('svg').first()).toBeVisible();
	await expect(page.getByTestId('headline')).toContainText('Cycle time');
	await expect(page.getByTestId('slowest').locator('li')).toHaveCount(5);

	// Every chart has its numbers as a table; the new ones hold the same rows as their charts.
	const section = (heading: string) => page.locator('section').filter({ has: page.getByRole('heading', { name: heading, exact: true }) });
	for (const heading of ['Cumulative flow', 'Lead and cycle time', 'Cycle time histogram', 'Throughput per week', 'Work in progress', 'Ageing work', 'Time in stage', 'Rework and quality', 'Deadlines']) {
		await expect(section(heading).getByText('Show as table')).toHaveCount(1);
	}
	await section('Work in progress').getByText('Show as table').click();
	await expect(section('Work in progress').locator('tbody tr')).toHaveCount(30); // the default range: the last 30 days
	await section('Cycle time histogram').getByText('Show as table').click();
	const binned = await section('Cycle time histogram').locator('tbody tr td:last-child').allInnerTexts();
	expect(binned.reduce((n, c) => n + Number(c), 0)).toBe(Number(/(\d+) cards/.exec(await page.getByTestId('headline').innerText())![1]));
	await expect(section('Cycle time histogram').getByTestId('chart-histogram').locator('rect')).not.toHaveCount(0);
	await section('Ageing work').getByText('Show as table').click();
	await expect(section('Ageing work').locator('tbody tr')).toHaveCount(Number(/(\d+) unfinished cards/.exec(await section('Ageing work').innerText())![1]));
	await section('Deadlines').getByText('Show as table').click();
	const lateStages = await section('Deadlines').locator('tbody tr').count();
	expect(lateStages).toBeGreaterThan(0);
	await expect(section('Deadlines').getByTestId('chart-late-stages').locator('g[aria-label="bar"] rect')).toHaveCount(lateStages);
	await expect(section('Deadlines')).toContainText(/\d+ of \d+ cards with a due date finished on time/);
	// Next to the hit rate: how many of those cards had their due date moved before they finished (as the API says).
	const api = await apiStats(page, new URL(page.url()).pathname.split('/')[2]!);
	await expect(section('Deadlines').getByTestId('due-moved')).toHaveText(`${api.dueDateHitRate.dueMoved} of them had their due date moved before they finished.`);
	await expect(page.getByTestId('headline')).toContainText(`${api.dueDateHitRate.withDue} with due dates, ${api.dueDateHitRate.dueMoved} of them moved`);

	// Narrow the range to one week: the CFD table shrinks to 7 days, and every chart still draws.
	const before = await page.locator('section').filter({ hasText: 'Cumulative flow' }).locator('tbody tr').count();
	const to = await page.getByLabel('To', { exact: true }).inputValue();
	const from = new Date(Date.parse(`${to}T00:00:00Z`) - 6 * 86_400_000).toISOString().slice(0, 10);
	await page.getByLabel('From', { exact: true }).fill(from);
	await page.getByRole('button', { name: 'Show' }).click();
	await expect(page).toHaveURL(new RegExp(`from=${from}`));
	await expect(page.locator('section').filter({ hasText: 'Cumulative flow' }).locator('tbody tr')).toHaveCount(7);
	expect(before).toBeGreaterThan(7);
	for (const chart of CHARTS) await expect(page.getByTestId(chart).locator('svg').first()).toBeVisible();

	await page.getByLabel('When will this many be done').fill('20');
	await page.getByRole('button', { name: 'Forecast' }).click();
	await expect(page.getByTestId('forecast-when')).toContainText('20 cards done by');
	expect(errors).toEqual([]);
});

test('in the dark theme, chart text and tooltips follow the theme', async ({ page }) => {
	await page.emulateMedia({ colorScheme: 'dark' });
	await logIn(page, 'demo@flowdeck.local', 'flowdeck-demo-2026');
	await page.getByRole('link', { name: /Content publishing/ }).click();
	await page.getByRole('link', { name: 'Stats' }).click();
	const chart = page.getByTestId('chart-late-stages');
	await chart.locator('g[aria-label="bar"] rect').first().hover();
	const tip = chart.locator('g[aria-label="tip"] path').first();
	await expect(tip).toBeVisible();
	// A light tooltip on a dark page would hide its light text: the tip is drawn on the dark card colour.
	const fill = await tip.evaluate((el) => getComputedStyle(el).fill);
	const text = await chart.evaluate((el) => getComputedStyle(el).color);
	// Lightness 0..1 of an rgb() or oklch() colour (Tailwind's palette is oklch).
	const luminance = (css: string) => {
		const [a, b, c] = (css.match(/[\d.]+/g) ?? []).map(Number);
		return css.startsWith('oklch') ? a! : (0.2126 * a! + 0.7152 * b! + 0.0722 * c!) / 255;
	};
	expect(luminance(fill)).toBeLessThan(0.3);
	expect(luminance(text)).toBeGreaterThan(0.6);
});

test('a bad date range gets a clear message', async ({ page }) => {
	await logIn(page, 'demo@flowdeck.local', 'flowdeck-demo-2026');
	await page.getByRole('link', { name: /Content publishing/ }).click();
	await expect(page).toHaveURL(/\/b\/[a-z0-9]+$/);
	const board = page.url();
	await page.goto(`${board}/stats?from=2026-12-01&to=2026-01-01`);
	await expect(page.getByRole('heading', { name: '"from" (2026-12-01) must be on or before "to" (2026-01-01).' })).toBeVisible();
	// A day that does not exist is refused, not rolled over into March.
	await page.goto(`${board}/stats?from=2026-02-30&to=2026-03-10`);
	await expect(page.getByRole('heading', { name: '"from" must be a real date written like 2026-11-22; got "2026-02-30".' })).toBeVisible();
});

/** Logs in as the demo user and opens the stats tab of the demo board; returns the board's id. */
async function openDemoStats(page: Page): Promise<string> {
	await logIn(page, 'demo@flowdeck.local', 'flowdeck-demo-2026');
	await page.getByRole('link', { name: /Content publishing/ }).click();
	await expect(page).toHaveURL(/\/b\/[a-z0-9]+$/);
	const boardId = new URL(page.url()).pathname.split('/')[2]!;
	await page.getByRole('link', { name: 'Stats' }).click();
	await expect(page.getByTestId('chart-cfd').locator('svg').first()).toBeVisible();
	return boardId;
}

/** The stats API's answer (by default for the page's default range (the page and the API share the server's clock)). */
async function apiStats(page: Page, boardId: string, query = ''): Promise<BoardStats> {
	const response = await page.request.get(`/api/boards/${boardId}/stats${query}`);
	expect(response.status()).toBe(200);
	return (await response.json()) as BoardStats;
}

const section = (page: Page, heading: string) => page.locator('section').filter({ has: page.getByRole('heading', { name: heading, exact: true }) });

test('stage toggles remove and restore a stage on the cumulative flow, by keyboard; the WIP breach overlay shows and hides its markers', async ({ page }) => {
	const boardId = await openDemoStats(page);
	const stats = await apiStats(page, boardId);
	const cfd = page.getByTestId('chart-cfd');
	const bands = cfd.locator('g[aria-label="area"] path');
	const legend = cfd.locator('[class$="-swatch"]');
	const columns = section(page, 'Cumulative flow').locator('thead th');
	const stagesShown = page.getByRole('group', { name: 'Stages shown' });
	const toggles = stagesShown.getByRole('checkbox');
	const toggle = (name: string) => stagesShown.getByRole('checkbox', { name, exact: true });
	const live = stats.stages.filter((s) => !s.deleted).map((s) => s.name);
	await expect(toggles).toHaveCount(live.length);
	await expect(bands).toHaveCount(live.length);
	await expect(legend).toHaveText(live);
	await expect(columns).toHaveText(['Date', ...live]);

	// Keyboard only: Tab from the stage before Review reaches Review's toggle, Space turns it off.
	const review = toggle('Review');
	await toggles.nth(live.indexOf('Review') - 1).focus();
	await page.keyboard.press('Tab');
	await expect(review).toBeFocused();
	await page.keyboard.press('Space');
	await expect(review).not.toBeChecked();
	const withoutReview = live.filter((n) => n !== 'Review');
	await expect(bands).toHaveCount(live.length - 1);
	await expect(legend).toHaveText(withoutReview);
	await expect(columns).toHaveText(['Date', ...withoutReview]);
	await page.keyboard.press('Space');
	await expect(review).toBeChecked();
	await expect(bands).toHaveCount(live.length);
	await expect(legend).toHaveText(live);
	await expect(columns).toHaveText(['Date', ...live]);

	// Soft WIP breaches: the demo's default range has some; one red tick per breach while the overlay is on.
	const overlay = page.getByTestId('toggle-breaches');
	const ticks = cfd.locator('g[aria-label="tick"] line');
	expect(stats.wipBreaches.length).toBeGreaterThan(0);
	await expect(overlay).toBeChecked();
	await expect(ticks).toHaveCount(stats.wipBreaches.length);
	await expect(page.getByText(`Show soft WIP breaches (${stats.wipBreaches.length})`)).toBeVisible();
	await overlay.focus();
	await page.keyboard.press('Space');
	await expect(overlay).not.toBeChecked();
	await expect(ticks).toHaveCount(0);
	await page.keyboard.press('Space');
	await expect(ticks).toHaveCount(stats.wipBreaches.length);

	// Hiding a stage hides its breach markers too (they would mark a band that is not drawn).
	const busiest = stats.stages.find((s) => s.id === stats.wipBreaches[0]!.stageId)!;
	const others = stats.wipBreaches.filter((b) => b.stageId !== busiest.id).length;
	await toggle(busiest.name).press('Space');
	await expect(ticks).toHaveCount(others);
	await expect(page.getByText(`Show soft WIP breaches (${others})`)).toBeVisible();
	await toggle(busiest.name).press('Space');
	await expect(ticks).toHaveCount(stats.wipBreaches.length);
});

test('the forecast answers "how many cards by a date" with 50/85/95 % figures, and a past date gets a clear message', async ({ page }) => {
	await openDemoStats(page);
	const today = await page.getByLabel('To', { exact: true }).inputValue(); // the default range ends today
	const day = (offset: number) => new Date(Date.parse(`${today}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
	const answer = page.getByTestId('forecast-how-many');

	await page.getByLabel('How many cards by').fill(day(28));
	await page.getByRole('button', { name: 'Forecast' }).click();
	await expect(page).toHaveURL(new RegExp(`forecastBy=${day(28)}`));
	await expect(answer).toContainText(/^By .+: at least/);
	await expect(answer.locator('time')).toHaveAttribute('datetime', day(28)); // shown in the reader's locale
	const [p50, p85, p95] = (await answer.locator('strong').allInnerTexts()).map(Number);
	// More confidence, fewer cards: 50 % ≥ 85 % ≥ 95 %, all whole numbers, and the demo finishes cards every week.
	for (const n of [p50, p85, p95]) expect(Number.isInteger(n)).toBe(true);
	expect(p50).toBeGreaterThan(0);
	expect(p50).toBeGreaterThanOrEqual(p85!);
	expect(p85).toBeGreaterThanOrEqual(p95!);

	// Today still has the rest of the day to go: figures, not the message.
	await page.getByLabel('How many cards by').fill(today);
	await page.getByRole('button', { name: 'Forecast' }).click();
	await expect(answer).toContainText(/^By .+: at least/);
	await expect(answer.locator('time')).toHaveAttribute('datetime', today);
	await expect(answer.locator('strong')).toHaveCount(3);

	// A date in the past cannot be forecast: a message, and no figures.
	await page.getByLabel('How many cards by').fill(day(-10));
	await page.getByRole('button', { name: 'Forecast' }).click();
	await expect(page).toHaveURL(new RegExp(`forecastBy=${day(-10)}`));
	await expect(answer).toHaveText(/^Pick today \(.+\) or a later date to forecast how many cards will be done by then\.$/);
	await expect(answer.locator('time')).toHaveAttribute('datetime', today);
	await expect(answer.locator('strong')).toHaveCount(0);
	await expect(page.getByLabel('How many cards by')).toHaveValue(day(-10));

	// Something that is not a date (only possible by editing the address) is refused with the rule.
	await page.goto(page.url().replace(/forecastBy=[^&]*/, 'forecastBy=next-friday'));
	await expect(page.getByRole('heading', { name: '"forecastBy" must be a real date written like 2026-11-22; got "next-friday".' })).toBeVisible();
});

test('a slowest card opens on the board with its dialog', async ({ page }) => {
	const boardId = await openDemoStats(page);
	const link = page.getByTestId('slowest').getByRole('link').first();
	const title = await link.innerText();
	await link.click();
	await expect(page).toHaveURL(new RegExp(`/b/${boardId}\\?card=`));
	const dialog = page.getByRole('dialog', { name: title });
	await expect(dialog).toBeVisible();
	await expect(dialog.getByLabel('Title')).toHaveValue(title);
});

test('rework and quality are shown with their numbers, and both CSV exports download with their header rows', async ({ page }) => {
	const boardId = await openDemoStats(page);
	const stats = await apiStats(page, boardId);

	// Rework: one bar per stage that had cards sent back, and the table has every stage's count.
	const rework = section(page, 'Rework and quality');
	const sentBack = stats.stages.filter((s) => !s.deleted && (stats.rework[s.id] ?? 0) > 0);
	expect(sentBack.length).toBeGreaterThan(0); // the demo sends cards back from Review
	await expect(rework.getByTestId('chart-rework').locator('g[aria-label="bar"] rect')).toHaveCount(sentBack.length);
	await rework.getByText('Show as table').click();
	for (const s of stats.stages.filter((x) => !x.deleted)) {
		await expect(rework.locator('tbody tr').filter({ has: page.getByRole('cell', { name: s.name, exact: true }) }).locator('td').last()).toHaveText(String(stats.rework[s.id] ?? 0));
	}
	// Quality: finished cards whose checklist was complete when they finished, out of those with a checklist.
	expect(stats.quality.withChecklist).toBeGreaterThan(0);
	await expect(rework.getByTestId('quality')).toContainText(`${stats.quality.complete} of ${stats.quality.withChecklist} finished cards`);
	await expect(rework.getByTestId('quality')).toContainText(`(${Math.round(stats.quality.rate! * 100)} %)`);

	// CSV exports: a real download through the links, each starting with its header row.
	const downloadText = async (name: string) => {
		const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name }).click()]);
		const stream = await download.createReadStream();
		let text = '';
		for await (const chunk of stream) text += String(chunk);
		return { text, file: download.suggestedFilename() };
	};
	const events = await downloadText('Events CSV');
	expect(events.file).toMatch(/events\.csv$/);
	const eventLines = events.text.trim().split(/\r?\n/);
	expect(eventLines[0]).toBe('at,type,card_id,actor_id,from_stage,to_stage,details');
	expect(eventLines.length).toBeGreaterThan(100);
	// The lead and cycle times follow the page's range: narrow it to two weeks first.
	const to = await page.getByLabel('To', { exact: true }).inputValue();
	const from = new Date(Date.parse(`${to}T00:00:00Z`) - 13 * 86_400_000).toISOString().slice(0, 10);
	await page.getByLabel('From', { exact: true }).fill(from);
	await page.getByRole('button', { name: 'Show' }).click();
	await expect(page).toHaveURL(new RegExp(`from=${from}`));
	const narrow = await apiStats(page, boardId, `?from=${from}&to=${to}`);
	expect(narrow.leadTime.count).toBeLessThan(stats.leadTime.count);
	const times = await downloadText('Lead & cycle CSV');
	expect(times.file).toMatch(/lead-cycle\.csv$/);
	const timeLines = times.text.trim().split(/\r?\n/);
	expect(timeLines[0]).toBe('card_id,title,finished_at,lead_time_hours,cycle_time_hours');
	// One row per card finished in the page's range.
	expect(timeLines.length - 1).toBe(narrow.leadTime.count);
});
