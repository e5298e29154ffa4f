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
	for (const chart of CHARTS) await expect(page.getByTestId(chart).locator('svg').first()).toBeVisible();
	await expect(page.getByTestId('headline')).toContainText('Cycle time');
	await expect(page.getByTestId('slowest').locator('li')).toHaveCount(5);

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

test('a bad date range gets a clear message', async ({ page }) => {
	await logIn(page, 'demo@flowdeck.local', 'flowdeck-demo-2026');
	await page.getByRole('link', { name: /Content publishing/ }).click();
	await expect(page).toHaveURL(/\/b\/[a-z0-9]+$/);
	const board = page.url();
	await page.goto(`${board}/stats?from=2026-12-01&to=2026-01-01`);
	await expect(page.getByRole('heading', { name: '"from" must be on or before "to".' })).toBeVisible();
});
