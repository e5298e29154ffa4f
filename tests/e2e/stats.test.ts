import { expect, test } from '@playwright/test';
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
	for (const heading of ['Cumulative flow', 'Lead and cycle time', 'Cycle time histogram', 'Throughput per week', 'Work in progress', 'Ageing work', 'Time in stage', 'Deadlines']) {
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
	await expect(page.getByRole('heading', { name: '"from" must be on or before "to".' })).toBeVisible();
});
