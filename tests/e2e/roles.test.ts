import { expect, test } from './fixtures.ts';
import { boardWithPeople, type Person } from './board-helpers.ts';

test.describe.configure({ mode: 'serial' });

let owner: Person;
let editor: Person;
let boardUrl = '';

test.beforeAll(async ({ browser }) => {
	test.setTimeout(120_000);
	const setup = await boardWithPeople(browser, 'Role changes', ['editor']);
	({ owner, boardUrl } = setup);
	editor = setup.others[0]!;
});

test.afterAll(async () => {
	for (const person of [owner, editor]) await person?.context.close();
});

test('a demotion takes the edit controls away within a second without a reload, and a promotion gives them back', async () => {
	const page = editor.page;
	await expect(page.getByTestId('add-card').first()).toBeVisible();
	// A reload would lose this marker.
	await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
	const settings = await owner.context.newPage();
	await settings.goto(`${boardUrl}/settings`);
	const changeRole = async (role: 'viewer' | 'editor') => {
		await settings.getByLabel(`Role of ${editor.name}`).selectOption(role);
		await settings.getByLabel(`Role of ${editor.name}`).locator('xpath=..').getByRole('button', { name: 'Save' }).click();
	};

	await changeRole('viewer');
	const demoted = Date.now();
	await expect(page.getByTestId('add-card')).toHaveCount(0, { timeout: 1_000 });
	await expect(page.getByTestId('read-only-notice')).toBeVisible();
	await expect(page.getByTestId('notice')).toContainText('You can now only view this board');
	console.log(`demotion → controls gone in ${Date.now() - demoted} ms`);

	await changeRole('editor');
	await expect(page.getByTestId('add-card').first()).toBeVisible({ timeout: 2_000 });
	await expect(page.getByTestId('notice')).toContainText('You can edit this board again');
	expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
	await settings.close();
});
