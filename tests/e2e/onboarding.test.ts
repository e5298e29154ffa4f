import { expect, test } from './fixtures.ts';
import { logIn, signUp, signUpHere, uniqueEmail } from './helpers.ts';

test('a new user signs up, creates a board and invites a viewer who sees it read-only', async ({ browser }) => {
	const ownerContext = await browser.newContext();
	const owner = await ownerContext.newPage();
	await signUp(owner, 'Olivia Owner', uniqueEmail('olivia'));
	await expect(owner.getByText('No boards yet')).toBeVisible();

	await owner.getByLabel('New board').fill('Content publishing');
	await owner.getByRole('button', { name: 'Create board' }).click();
	await expect(owner.getByTestId('board-name')).toHaveText('Content publishing');
	await expect(owner.getByTestId('board-editable')).toBeVisible();

	await owner.getByRole('link', { name: 'Settings & members' }).click();
	await owner.getByLabel('Role', { exact: true }).selectOption('viewer');
	await owner.getByRole('button', { name: 'Create invite link' }).click();
	const inviteUrl = await owner.getByTestId('invite-url').inputValue();
	expect(inviteUrl).toMatch(/\/invite\/[a-z0-9]+$/);

	const viewerContext = await browser.newContext();
	const viewer = await viewerContext.newPage();
	const viewerEmail = uniqueEmail('victor');
	await viewer.goto(inviteUrl);
	await expect(viewer.getByRole('heading', { name: 'Join “Content publishing”' })).toBeVisible();
	await viewer.getByRole('link', { name: 'Create an account' }).click();
	await signUpHere(viewer, 'Victor Viewer', viewerEmail);
	await viewer.getByRole('button', { name: 'Join board' }).click();

	await expect(viewer.getByTestId('board-name')).toHaveText('Content publishing');
	await expect(viewer.getByTestId('read-only-notice')).toBeVisible();
	await expect(viewer.getByTestId('board-editable')).toHaveCount(0);
	await viewer.getByRole('link', { name: 'Members' }).click();
	await expect(viewer.getByTestId('members')).toContainText('Olivia Owner');
	await expect(viewer.getByTestId('members')).toContainText('Victor Viewer');
	await expect(viewer.getByRole('button', { name: 'Rename board' })).toHaveCount(0);
	await expect(viewer.getByRole('button', { name: 'Create invite link' })).toHaveCount(0);
	await expect(viewer.getByRole('button', { name: 'Delete this board' })).toHaveCount(0);

	// The owner sees the new member without reloading by hand.
	await owner.reload();
	await expect(owner.getByTestId('members')).toContainText('Victor Viewer');

	await viewer.getByRole('button', { name: 'Log out' }).click();
	await expect(viewer).toHaveURL(/\/login$/);
	await viewer.goto('/');
	await expect(viewer.getByRole('heading', { name: /visible and enforced/ })).toBeVisible();
	await logIn(viewer, viewerEmail);
	await expect(viewer.getByRole('link', { name: /Content publishing/ })).toBeVisible();

	await ownerContext.close();
	await viewerContext.close();
});

test('forms explain bad input inline and keep what was typed', async ({ page }) => {
	const email = uniqueEmail('dup');
	await signUp(page, 'Dana', email);
	await page.getByRole('button', { name: 'Log out' }).click();

	await page.goto('/signup');
	await page.getByLabel('Your name').fill('Dana Again');
	await page.getByLabel('Email').fill(uniqueEmail('weak'));
	await page.getByLabel('Password').fill('password1');
	await page.getByRole('button', { name: 'Create account' }).click();
	await expect(page.getByText('This password is too common')).toBeVisible();
	await expect(page.getByLabel('Your name')).toHaveValue('Dana Again');

	// Signing up again with a registered email answers exactly as for a new one (no "already exists" for a
	// stranger to probe), and changes nothing: only the account's own password signs in.
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill('another-good-pass-7');
	await page.getByRole('button', { name: 'Create account' }).click();
	await expect(page).toHaveURL(/\/login$/);
	await expect(page.getByRole('status')).toContainText('Your account is ready');
	await expect(page.getByText(/already exists/)).toHaveCount(0);
	await page.getByLabel('Password').fill('another-good-pass-7');
	await page.getByRole('button', { name: 'Log in' }).click();
	await expect(page.getByRole('alert')).toContainText('do not match an account');
	await page.getByLabel('Password').fill('plum-orbit-cactus-91');
	await page.getByRole('button', { name: 'Log in' }).click();
	await expect(page.getByRole('heading', { name: 'Your boards' })).toBeVisible();
	await expect(page.getByText('Dana Again')).toHaveCount(0);
	await page.getByRole('button', { name: 'Log out' }).click();

	await logIn(page, email, 'not-the-password');
	await expect(page.getByRole('alert')).toContainText('do not match an account');
});
