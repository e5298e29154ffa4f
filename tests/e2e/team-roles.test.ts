import { expect, test } from './fixtures.ts';
import { boardWithPeople, type Person } from './board-helpers.ts';

test.describe.configure({ mode: 'serial' });

let owner: Person;
let editor: Person;
let boardUrl = '';

test.beforeAll(async ({ browser }) => {
	test.setTimeout(120_000);
	const setup = await boardWithPeople(browser, 'Content pipeline', ['editor']);
	({ owner, boardUrl } = setup);
	editor = setup.others[0]!;
});

test.afterAll(async () => {
	for (const person of [owner, editor]) await person?.context.close();
});

test('an owner names team roles, gives them to members and names a process owner; everyone sees who holds what', async () => {
	const page = owner.page;
	await page.goto(`${boardUrl}/settings`);
	const section = page.getByTestId('team-roles');
	await expect(section).toContainText('No team roles yet');
	for (const name of ['Content strategist', 'SEO strategist']) {
		await section.getByLabel('New team role').fill(name);
		await section.getByRole('button', { name: 'Add role' }).click();
		await expect(section.getByTestId('team-role').filter({ hasText: name })).toBeVisible();
	}
	// A duplicate is refused with a message, nothing added.
	await section.getByLabel('New team role').fill('seo strategist');
	await section.getByRole('button', { name: 'Add role' }).click();
	await expect(section.getByRole('alert')).toContainText('already a team role called');
	await expect(section.getByTestId('team-role')).toHaveCount(2);

	const seo = section.getByTestId('team-role').filter({ hasText: 'SEO strategist' });
	await seo.getByLabel(editor.name).check();
	await seo.getByRole('button', { name: 'Save who holds SEO strategist' }).click();
	await expect(section.getByRole('status')).toContainText('Role holders saved');
	await section.getByLabel('Process owner').selectOption({ label: editor.name });
	await section.getByRole('button', { name: 'Save', exact: true }).click();
	await expect(page.getByTestId('process-owner')).toContainText(editor.name);

	// The editor sees the roles (read-only) and the process owner in the board header.
	await editor.page.goto(`${boardUrl}/settings`);
	const seen = editor.page.getByTestId('team-roles');
	await expect(seen.getByTestId('team-role').filter({ hasText: 'SEO strategist' })).toContainText(editor.name);
	await expect(seen.getByRole('button', { name: 'Add role' })).toHaveCount(0);
	await editor.page.goto(boardUrl);
	await expect(editor.page.getByTestId('process-owner')).toContainText(editor.name);

	// On a phone the section fits the screen.
	await page.setViewportSize({ width: 390, height: 844 });
	const width = await page.evaluate(() => document.scrollingElement!.scrollWidth);
	expect(width).toBeLessThanOrEqual(390);
});
