import { expect, test } from '@playwright/test';
import { startServer, tempDataDir, type TestServer } from '../helpers/server.ts';
import { signUp, uniqueEmail } from './helpers.ts';
import { addCard, card, waitForBoard } from './board-helpers.ts';

/** A server of its own with tiny caps, so a single long description made offline is too large to catch up. */
const MAX_PAYLOAD = 8 * 1024;
const MAX_CATCH_UP = 16 * 1024;

let server: TestServer | undefined;
let data: ReturnType<typeof tempDataDir> | undefined;

test.beforeAll(async () => {
	test.setTimeout(120_000);
	data = tempDataDir();
	server = await startServer({ DATA_DIR: data.dir, DATABASE_URL: '', SYNC_MAX_PAYLOAD_BYTES: String(MAX_PAYLOAD), SYNC_MAX_CATCH_UP_BYTES: String(MAX_CATCH_UP) });
});

test.afterAll(async () => {
	await server?.stop();
	data?.remove();
});

test('offline work the server refuses as too large: the board says so, keeps the work, and does not reconnect in a loop', async ({ browser }) => {
	const context = await browser.newContext({ baseURL: server!.url });
	const page = await context.newPage();
	let sockets = 0;
	page.on('websocket', (ws) => {
		if (ws.url().includes('/sync/')) sockets++;
	});
	await signUp(page, 'Olga Offline', uniqueEmail('olga'));
	await page.getByLabel('New board').fill('Long reads');
	await page.getByRole('button', { name: 'Create board' }).click();
	await waitForBoard(page);
	await addCard(page, 'To do', 'Long read');

	await context.setOffline(true);
	await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'offline');
	await card(page, 'Long read').click();
	const dialog = page.getByTestId('card-dialog');
	await dialog.getByRole('button', { name: 'Edit' }).click();
	const text = 'A long read, written on a train. '.repeat(600).slice(0, 19_500);
	await dialog.getByLabel('Description (markdown)').fill(text);
	const before = sockets;
	await context.setOffline(false);

	const message = page.getByRole('alert').filter({ hasText: 'too large' });
	await expect(message).toBeVisible();
	await expect(message).toContainText('kept in this browser');
	await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'closed');
	// Several of the provider's backoff periods later: still the one attempt.
	await page.waitForTimeout(2_000);
	expect(sockets - before).toBe(1);

	// Kept: after a reload the description is still on this device (IndexedDB), and the same message says why it was not sent.
	await page.reload();
	await expect(page.getByRole('alert').filter({ hasText: 'too large' })).toBeVisible();
	await card(page, 'Long read').click();
	await expect(page.getByTestId('card-dialog').getByTestId('description-rendered')).toContainText('written on a train');
	await context.close();
});
