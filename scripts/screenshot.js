// Takes docs/screenshot.png: starts the built server on a scratch PGlite folder, fills a board through the UI, and captures it.
// Usage: npm run build && node scripts/screenshot.js
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';

const root = fileURLToPath(new URL('..', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'flowdeck-shot-'));
const port = 3377;
const base = `http://127.0.0.1:${port}`;
const server = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
	cwd: root,
	env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, DATABASE_URL: '' },
	stdio: ['ignore', 'pipe', 'inherit']
});
await new Promise((resolve) => server.stdout.on('data', (d) => String(d).includes('listening') && resolve(undefined)));

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
	const page = await browser.newPage({ viewport: { width: 1500, height: 860 }, colorScheme: 'light' });
	await page.goto(`${base}/signup`);
	await page.getByLabel('Your name').fill('Maya Marketing');
	await page.getByLabel('Email').fill('maya@example.com');
	await page.getByLabel('Password').fill('plum-orbit-cactus-91');
	await page.getByRole('button', { name: 'Create account' }).click();
	// Sign-up leads to the sign-in page (email prefilled): sign-up never signs in by itself.
	await page.getByRole('button', { name: 'Log in' }).waitFor();
	await page.getByLabel('Password').fill('plum-orbit-cactus-91');
	await page.getByRole('button', { name: 'Log in' }).click();
	await page.getByLabel('New board').fill('Content publishing');
	await page.getByRole('button', { name: 'Create board' }).click();
	await page.getByTestId('board').and(page.locator('[data-ready="true"]')).waitFor();
	const cards = {
		Backlog: ['Customer story: Acme rollout', 'Webinar recap post', 'Glossary: flow efficiency'],
		'To do': ['Q3 trends report', 'Newsletter #42'],
		'In progress': ['Launch blog post', 'Pricing page refresh', 'Social carousel'],
		Review: ['Case study: Northwind'],
		Done: ['SEO audit', 'Brand voice guide']
	};
	for (const [stage, titles] of Object.entries(cards)) {
		const field = page.getByLabel(`Add a card to ${stage}`);
		for (const title of titles) {
			await field.fill(title);
			await field.press('Enter');
		}
	}
	await page.getByRole('button', { name: 'Settings for stage In progress' }).click();
	await page.getByLabel('WIP limit').fill('2');
	await page.getByRole('button', { name: 'Save limit' }).click();
	await page.getByLabel('New exit criterion').fill('SEO keywords in title');
	await page.getByRole('button', { name: 'Add', exact: true }).click();
	await page.getByRole('button', { name: 'Close' }).click();
	await page.getByText('Launch blog post', { exact: true }).click();
	const dialog = page.getByTestId('card-dialog');
	for (const item of ['Outline approved', 'Draft written', 'Images sourced', 'Legal check']) {
		await dialog.getByLabel('New checklist item').fill(item);
		await dialog.getByLabel('New checklist item').press('Enter');
	}
	await dialog.getByLabel('Outline approved', { exact: true }).check();
	await dialog.getByLabel('Draft written', { exact: true }).check();
	await dialog.getByRole('checkbox', { name: 'Maya Marketing' }).check();
	await dialog.getByLabel('Due date').fill(new Date(Date.now() + 86_400_000).toISOString().slice(0, 10));
	await dialog.getByLabel('New label').fill('Blog');
	await dialog.getByLabel('New label').press('Enter');
	await dialog.getByRole('button', { name: 'Close' }).click();
	await page.getByText('Pricing page refresh', { exact: true }).click();
	await dialog.getByLabel('Blocking reason').fill('Waiting for final prices');
	await dialog.getByRole('button', { name: 'Mark blocked' }).click();
	await dialog.getByRole('button', { name: 'Close' }).click();
	await page.waitForTimeout(300);
	await page.screenshot({ path: join(root, 'docs', 'screenshot.png') });
	console.log('Wrote docs/screenshot.png');
} finally {
	await browser.close();
	server.kill('SIGTERM');
	await new Promise((r) => server.once('exit', r));
	rmSync(dataDir, { recursive: true, force: true });
}
