import { expect, test } from './fixtures.ts';
import { signUp, uniqueEmail } from './helpers.ts';

test('a sign-in link with a hostile next keeps Chromium on the site', async ({ page, baseURL }) => {
	const email = uniqueEmail('nell');
	await signUp(page, 'Nell', email);
	const home = new URL(baseURL!);
	// Chromium drops the tab from a Location, so `/\t/evil.example` used to become `//evil.example`.
	for (const next of ['/%09/evil.example/phish', '/%0a/evil.example/phish', '/%0d/evil.example/phish', '//evil.example', '/%5Cevil.example']) {
		const response = await page.goto(`/login?next=${next}`);
		expect(response?.status(), next).toBe(200);
		expect(new URL(page.url()).host, next).toBe(home.host);
		await expect(page.getByRole('heading', { name: 'Your boards' })).toBeVisible();
	}
	await page.getByRole('button', { name: 'Log out' }).click();
	await page.goto('/login?next=/%09/evil.example/phish');
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill('plum-orbit-cactus-91');
	await page.getByRole('button', { name: 'Log in' }).click();
	await expect(page.getByRole('heading', { name: 'Your boards' })).toBeVisible();
	expect(new URL(page.url())).toMatchObject({ host: home.host, pathname: '/' });
});

test('pages are served with a Content-Security-Policy that refuses injected scripts, and the guard sees it', async ({ page, cspViolations }) => {
	const response = await page.goto('/login');
	expect(response?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
	const ran = await page.evaluate(() => {
		const script = document.createElement('script');
		script.textContent = 'window.__injected = true';
		document.head.append(script);
		return (window as { __injected?: boolean }).__injected === true;
	});
	expect(ran).toBe(false);
	// The guard every e2e test runs under caught it; emptied here because this one was on purpose.
	await expect.poll(() => cspViolations.length).toBeGreaterThan(0);
	expect(cspViolations.join('\n')).toContain('Content Security Policy');
	cspViolations.splice(0);
});
