import { expect, test, type Page } from './fixtures.ts';
import { logIn } from './helpers.ts';
import { newPerson, waitForApp, waitForBoard } from './board-helpers.ts';

/** The month `delta` months from the current one (UTC), YYYY-MM. */
function monthFromNow(delta: number): string {
	const now = new Date();
	return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + delta, 1)).toISOString().slice(0, 7);
}
/** "November 2026", as the page writes it in the browser's language (en-US here). */
const monthName = (month: string) => new Date(`${month}-01T00:00:00Z`).toLocaleString('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' });

type Review = { compliance: { rate: number | null }; efficiency: { range: { leadP50: number | null; cycleP50: number | null } } };

/** GET …/process for a whole month with the previous month as baseline: what the report shows. */
async function apiFor(page: Page, boardId: string, month: string): Promise<Review> {
	const [y, m] = month.split('-').map(Number) as [number, number];
	const last = (mm: number) => new Date(Date.UTC(y, mm, 0)).toISOString().slice(0, 10);
	const before = new Date(Date.UTC(y, m - 2, 1)).toISOString().slice(0, 7);
	const params = new URLSearchParams({ from: `${month}-01`, to: last(m), baselineFrom: `${before}-01`, baselineTo: last(m - 1) });
	const res = await page.request.get(`/api/boards/${boardId}/process?${params}`);
	expect(res.status()).toBe(200);
	return (await res.json()) as Review;
}

const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x * 100)} %`);
const days = (h: number | null) => (h === null ? '—' : `${(h / 24).toFixed(1)} d`);

/** The headline tiles show the API's figures for the month. */
async function expectHeadline(page: Page, api: Review): Promise<void> {
	await expect(page.getByTestId('headline-compliance').getByTestId('headline-value')).toHaveText(pct(api.compliance.rate));
	await expect(page.getByTestId('headline-lead').getByTestId('headline-value')).toHaveText(days(api.efficiency.range.leadP50));
	await expect(page.getByTestId('headline-cycle').getByTestId('headline-value')).toHaveText(days(api.efficiency.range.cycleP50));
}

test('the monthly process report: opened from the stats tab, month by month, printable, and on a phone', async ({ page, browser }) => {
	const errors: string[] = [];
	page.on('pageerror', (e) => errors.push(String(e)));
	await page.setViewportSize({ width: 1440, height: 900 });
	await logIn(page, 'demo@flowdeck.local', 'flowdeck-demo-2026');
	await page.getByRole('link', { name: /Content publishing/ }).click();
	await waitForBoard(page);
	const boardId = new URL(page.url()).pathname.split('/')[2]!;
	await page.getByRole('link', { name: 'Stats' }).click();
	await page.getByTestId('process-section').getByRole('link', { name: 'Monthly report' }).click();
	await expect(page).toHaveURL(new RegExp(`/b/${boardId}/report$`));
	await waitForApp(page);

	// The last full month by default, with the figures of GET …/process for it.
	const last = monthFromNow(-1);
	await expect(page.getByTestId('report-title')).toHaveText(monthName(last));
	await expectHeadline(page, await apiFor(page, boardId, last));
	await expect(page.getByTestId('chart-compliance').locator('svg').first()).toBeVisible();
	await expect(page.getByTestId('missed-deadlines')).toBeVisible();
	await expect(page.getByTestId('risk-list')).toBeVisible();
	await expect(page.getByTestId('notable-cards')).toBeVisible();
	// Read-only: no target form, no "apply" buttons, no baseline form.
	await expect(page.getByTestId('compliance-target-form')).toHaveCount(0);
	await expect(page.getByRole('button', { name: /^Change to/ })).toHaveCount(0);
	await expect(page.getByLabel('Baseline from')).toHaveCount(0);
	// No month after the current one is offered.
	await expect(page.getByTestId('report-next')).toHaveText(`${monthName(monthFromNow(0))} →`);
	await page.screenshot({ path: 'test-results/process-report-desktop.png', fullPage: true });

	// The month before, by its link; then back by typing a month and pressing Enter.
	const earlier = monthFromNow(-2);
	await page.getByTestId('report-prev').click();
	await expect(page).toHaveURL(new RegExp(`month=${earlier}$`));
	await expect(page.getByTestId('report-title')).toHaveText(monthName(earlier));
	await expectHeadline(page, await apiFor(page, boardId, earlier));
	await page.getByLabel('Month', { exact: true }).fill(last);
	await page.getByLabel('Month', { exact: true }).press('Enter');
	await expect(page).toHaveURL(new RegExp(`month=${last}$`));
	await expect(page.getByTestId('report-title')).toHaveText(monthName(last));

	// A mistyped or future month: a clear message by the picker, and the rest of the page still works.
	await page.goto(`/b/${boardId}/report?month=2026-13`);
	await expect(page.getByRole('alert')).toHaveText(/Choose a month written like \d{4}-\d{2}; got "2026-13"\./);
	await expect(page.getByTestId('report-headline')).toHaveCount(0);
	await page.goto(`/b/${boardId}/report?month=${monthFromNow(2)}`);
	await expect(page.getByRole('alert')).toHaveText(`${monthFromNow(2)} has not begun yet: choose ${monthFromNow(0)} or an earlier month.`);
	await page.getByTestId('report-prev').click();
	await expect(page.getByTestId('report-headline')).toBeVisible();

	// Printed: no app header, no board tabs, no toolbar or buttons; the charts stay, within the page's width.
	await page.goto(`/b/${boardId}/report?month=${last}`);
	await waitForApp(page);
	// An A4 page's printable width at 96 dpi (210 mm less the report's 12 mm margins): what the printout lays out in.
	await page.setViewportSize({ width: 703, height: 994 });
	await page.emulateMedia({ media: 'print' });
	await expect(page.getByRole('navigation', { name: 'Main' })).toBeHidden();
	await expect(page.getByRole('navigation', { name: 'Board sections' })).toBeHidden();
	await expect(page.getByTestId('report-toolbar')).toBeHidden();
	await expect(page.getByRole('button', { name: 'Print / Save as PDF' })).toBeHidden();
	await expect(page.getByTestId('report-title')).toBeVisible();
	const chart = page.getByTestId('chart-compliance').locator('svg').first();
	await expect(chart).toBeVisible();
	expect((await chart.boundingBox())!.width).toBeLessThanOrEqual((await page.getByTestId('process-report').boundingBox())!.width + 1);
	await page.screenshot({ path: 'test-results/process-report-print.png', fullPage: true });
	await page.pdf({ path: 'test-results/process-report.pdf', format: 'A4', preferCSSPageSize: true });
	await page.emulateMedia({ media: 'screen' });
	await expect(page.getByRole('button', { name: 'Print / Save as PDF' })).toBeVisible();

	// A phone: everything fits the width (wide tables scroll inside their cards).
	await page.setViewportSize({ width: 390, height: 844 });
	await expect(page.getByTestId('chart-compliance').locator('svg').first()).toBeVisible();
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
	await page.screenshot({ path: 'test-results/process-report-phone.png', fullPage: true });

	// Someone who is not on the board: not found; logged out: the login page.
	const stranger = await newPerson(browser, 'Report Stranger');
	const res = await stranger.page.goto(`/b/${boardId}/report`);
	expect(res?.status()).toBe(404);
	await stranger.context.close();
	const anonymous = await browser.newContext();
	const anon = await anonymous.newPage();
	await anon.goto(`/b/${boardId}/report?month=${last}`);
	await expect(anon).toHaveURL(/\/login\?next=/);
	await anonymous.close();
	expect(errors).toEqual([]);
});
