import { expect, type Page } from '@playwright/test';

/** A unique email for this run, so tests never collide with earlier data. */
export function uniqueEmail(name: string): string {
	return `${name}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@example.com`;
}

/** Fills and submits the sign-up form on the current page, then signs in on the page it leads to (email prefilled). */
export async function signUpHere(page: Page, name: string, email: string, password = 'plum-orbit-cactus-91'): Promise<void> {
	await page.getByLabel('Your name').fill(name);
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill(password);
	await page.getByRole('button', { name: 'Create account' }).click();
	await expect(page.getByRole('status')).toContainText('Your account is ready');
	await expect(page.getByLabel('Email')).toHaveValue(email);
	await page.getByLabel('Password').fill(password);
	await page.getByRole('button', { name: 'Log in' }).click();
}

/** Signs up from the start page. */
export async function signUp(page: Page, name: string, email: string): Promise<void> {
	await page.goto('/signup');
	await signUpHere(page, name, email);
	await expect(page.getByRole('heading', { name: 'Your boards' })).toBeVisible();
}

/** Logs in from the login page. */
export async function logIn(page: Page, email: string, password = 'plum-orbit-cactus-91'): Promise<void> {
	await page.goto('/login');
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill(password);
	await page.getByRole('button', { name: 'Log in' }).click();
}
