import { expect, test } from './fixtures.ts';
import { signUp, uniqueEmail } from './helpers.ts';

for (const size of [
	{ name: 'desktop', width: 1280, height: 800 },
	{ name: 'phone', width: 390, height: 844 }
]) {
	test(`a person creates an access token, sees its secret once, uses it and revokes it (${size.name})`, async ({ browser }) => {
		const context = await browser.newContext({ viewport: { width: size.width, height: size.height }, permissions: ['clipboard-read', 'clipboard-write'] });
		const page = await context.newPage();
		await signUp(page, 'Tess Tokens', uniqueEmail('tess'));
		await page.goto('/account');
		await page.getByRole('link', { name: 'Access tokens' }).click();
		await expect(page.getByRole('heading', { name: 'Access tokens' })).toBeVisible();
		await expect(page.getByText('No tokens yet.')).toBeVisible();

		await page.getByLabel('Name').fill('CMS sync');
		await page.getByRole('radio', { name: 'Read and write' }).check();
		await page.getByRole('button', { name: 'Create token' }).click();
		const secret = page.getByLabel('The new token');
		// The form is ready for the next token, with its defaults ticked.
		await expect(page.getByRole('radio', { name: /All my boards/ })).toBeChecked();
		await expect(page.getByRole('radio', { name: 'Read only' })).toBeChecked();
		await expect(secret).toHaveValue(/^fdk_[a-z0-9]{32}$/);
		const token = await secret.inputValue();
		await page.getByRole('button', { name: 'Copy' }).click();
		await expect(page.getByRole('button', { name: 'Copied' })).toBeVisible();
		expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
		expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(size.width);

		// The token works; the list shows it was used, and never the secret again.
		const api = await page.request.get('/api/v1/boards', { headers: { authorization: `Bearer ${token}` } });
		expect(api.status()).toBe(200);
		await page.reload();
		await expect(page.getByLabel('The new token')).toHaveCount(0);
		expect(await page.content()).not.toContain(token);
		const row = page.getByTestId('token-row').filter({ hasText: 'CMS sync' });
		await expect(row).toContainText('Read and write · all boards');
		await expect(row).toContainText('last used');
		await expect(row).toContainText('no expiry');

		// Revoking asks first; cancelling keeps it.
		await row.getByRole('button', { name: 'Revoke CMS sync' }).click();
		await row.getByRole('button', { name: 'Cancel' }).click();
		expect((await page.request.get('/api/v1/boards', { headers: { authorization: `Bearer ${token}` } })).status()).toBe(200);
		await row.getByRole('button', { name: 'Revoke CMS sync' }).click();
		await expect(row).toContainText('Programs using it stop working at once');
		await row.getByRole('button', { name: 'Yes, revoke' }).click();
		await expect(page.getByRole('status')).toContainText('Token revoked');
		await expect(row).toContainText('Revoked');
		const refused = await page.request.get('/api/v1/boards', { headers: { authorization: `Bearer ${token}` } });
		expect(refused.status()).toBe(401);
		expect((await refused.json()).reason).toBe('revoked');

		// The reference page is a click away and lists the endpoints.
		await page.getByRole('link', { name: 'Flowdeck API' }).click();
		await expect(page.getByRole('heading', { name: 'Flowdeck API v1' })).toBeVisible();
		await expect(page.getByTestId('operation').first()).toBeVisible();
		expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(size.width);
		await context.close();
	});
}
