import { expect, test } from './fixtures.ts';
import { signUp, uniqueEmail } from './helpers.ts';

test('a person sets a notification channel and a digest on the settings page; the browser’s zone is proposed', async ({ browser }) => {
	const context = await browser.newContext({ timezoneId: 'Asia/Tokyo' });
	const page = await context.newPage();
	await signUp(page, 'Nora Notes', uniqueEmail('nora'));
	await page.goto('/account');
	await page.getByRole('link', { name: 'Notification settings' }).click();
	await expect(page.getByRole('heading', { name: 'Notifications' })).toBeVisible();
	// The e2e server has no SMTP_URL.
	await expect(page.getByRole('note')).toHaveText('Email is not set up on this server; notifications are delivered in the app only.');
	await expect(page.getByLabel('Time zone')).toHaveValue('Asia/Tokyo');
	await expect(page.getByRole('radio', { name: 'Mentioned in a comment: Both' })).toBeChecked();

	await page.getByRole('radio', { name: 'Mentioned in a comment: Off' }).check();
	await page.getByRole('radio', { name: 'Overdue: In the app' }).check();
	await page.getByLabel('Collect my email notifications into one mail a day').check();
	await page.getByLabel('Send at').selectOption('7');
	await page.getByRole('button', { name: 'Save' }).click();
	await expect(page.getByRole('status')).toHaveText('Saved. Email is not set up on this server, so nothing is mailed yet; once it is, your digest comes at 07:00 (Asia/Tokyo).');

	await page.reload();
	await expect(page.getByRole('radio', { name: 'Mentioned in a comment: Off' })).toBeChecked();
	await expect(page.getByRole('radio', { name: 'Overdue: In the app' })).toBeChecked();
	await expect(page.getByLabel('Collect my email notifications into one mail a day')).toBeChecked();
	await expect(page.getByLabel('Send at')).toHaveValue('7');
	await expect(page.getByLabel('Time zone')).toHaveValue('Asia/Tokyo');
	await context.close();
});

test('without SMTP the forgot-password page says email is not set up', async ({ page }) => {
	await page.goto('/login');
	await page.getByRole('link', { name: 'Forgot password?' }).click();
	await expect(page.getByRole('heading', { name: 'Forgot your password?' })).toBeVisible();
	await expect(page.getByRole('note')).toContainText('Email is not set up on this server, so no reset link can be sent.');
	await expect(page.getByRole('button', { name: 'Send reset link' })).toHaveCount(0);
});
