import { expect, test } from './fixtures.ts';
import { boardWithPeople, newPerson, type Person } from './board-helpers.ts';

test.describe.configure({ mode: 'serial' });

let owner: Person;
let editor: Person;
let boardUrl = '';

test.beforeAll(async ({ browser }) => {
	test.setTimeout(120_000);
	const setup = await boardWithPeople(browser, 'Webhook board', ['editor']);
	({ owner, boardUrl } = setup);
	editor = setup.others[0]!;
});

test.afterAll(async () => {
	for (const person of [owner, editor]) await person?.context.close();
});

test('an owner adds an endpoint (bad input refused by field), sees its secret once, sends a test event and deletes it, on a phone', async () => {
	const page = owner.page;
	await page.setViewportSize({ width: 390, height: 844 });
	await page.getByRole('link', { name: 'Webhooks' }).click();
	await expect(page.getByRole('heading', { name: 'Add a webhook endpoint' })).toBeVisible();
	await expect(page.getByText('No endpoints yet.')).toBeVisible();

	// Not http(s), no kinds: both fields say what is wrong, nothing is saved.
	await page.getByLabel('Endpoint URL').fill('ftp://example.com/hook');
	await page.getByRole('button', { name: 'Add endpoint' }).click();
	await expect(page.locator('#field-url-error')).toContainText('https:// or http://');
	await expect(page.locator('#kinds-error')).toContainText('Choose at least one event kind');
	await expect(page.getByText('No endpoints yet.')).toBeVisible();

	// A private address (the e2e server does not allow them): refused, and the chosen kinds stay ticked.
	await page.getByLabel('Endpoint URL').fill('http://127.0.0.1:9/hook');
	await page.getByRole('checkbox', { name: /card\.moved/ }).check();
	await page.getByRole('button', { name: 'Add endpoint' }).click();
	await expect(page.locator('#field-url-error')).toContainText('public addresses');
	await expect(page.getByRole('checkbox', { name: /card\.moved/ })).toBeChecked();
	await expect(page.getByText('No endpoints yet.')).toBeVisible();

	// A public address (TEST-NET-3: nothing answers there) is saved; its secret is shown this once.
	await page.getByLabel('Endpoint URL').fill('https://203.0.113.10/flowdeck');
	await page.getByRole('button', { name: 'Add endpoint' }).click();
	const secret = (await page.getByTestId('secret-value').innerText()).trim();
	expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
	await expect(page.getByTestId('endpoint-url')).toHaveText('https://203.0.113.10/flowdeck');
	await expect(page.getByTestId('endpoint-state')).toHaveText('Enabled');
	await page.reload();
	await expect(page.getByTestId('new-secret')).toHaveCount(0);
	await expect(page.getByTestId('endpoint')).toContainText(`whsec_…${secret.slice(-4)}`);
	await expect(page.getByTestId('endpoint')).toContainText('card.moved');

	await page.getByRole('button', { name: 'Send test event' }).click();
	await expect(page.getByText('Test event queued')).toBeVisible();
	await expect(page.getByTestId('delivery')).toHaveCount(1);
	await expect(page.getByTestId('delivery')).toContainText('webhook.test');

	// Nothing sticks out sideways at phone width (the board's tab bar wraps with the extra tab).
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

	page.once('dialog', (d) => void d.accept());
	await page.getByRole('button', { name: 'Delete https://203.0.113.10/flowdeck' }).click();
	await expect(page.getByText('Endpoint deleted.')).toBeVisible();
	await expect(page.getByText('No endpoints yet.')).toBeVisible();
});

test('editors see no Webhooks tab and get 403; people who are not members get 404', async ({ browser }) => {
	await editor.page.goto(boardUrl);
	await expect(editor.page.getByRole('link', { name: 'Stats' })).toBeVisible();
	await expect(editor.page.getByRole('link', { name: 'Webhooks' })).toHaveCount(0);
	const asEditor = await editor.page.goto(`${boardUrl}/webhooks`);
	expect(asEditor?.status()).toBe(403);
	await expect(editor.page.getByText('Only board owners can manage webhooks.')).toBeVisible();
	const stranger = await newPerson(browser, 'Sid Stranger');
	const asStranger = await stranger.page.goto(`${boardUrl}/webhooks`);
	expect(asStranger?.status()).toBe(404);
	await stranger.context.close();
});
