import { expect, test } from './fixtures.ts';
import { addCard, boardWithPeople, card, moveWithMenu, newPerson, type Person } from './board-helpers.ts';

test.describe.configure({ mode: 'serial' });

let owner: Person;
let editor: Person;
let boardUrl: string;

test.beforeAll(async ({ browser }) => {
	test.setTimeout(120_000);
	const setup = await boardWithPeople(browser, 'Webinars', ['editor']);
	({ owner, boardUrl } = setup);
	[editor] = setup.others as [Person];
	await addCard(owner.page, 'To do', 'Spring webinar');
});

test.afterAll(async () => {
	for (const person of [owner, editor]) await person?.context.close();
});

test('the owner builds a rule in the form; it acts on a card another person moves; its run log says so', async () => {
	const page = owner.page;
	await page.getByRole('link', { name: 'Automation' }).click();
	await expect(page.getByRole('heading', { name: 'New rule' })).toBeVisible();
	const form = page.getByTestId('rule-form');
	await form.getByLabel('Name', { exact: true }).fill('Assign the reviewer');
	await form.getByLabel('Trigger', { exact: true }).selectOption({ label: 'a card enters a stage' });
	await form.getByLabel('Trigger stage', { exact: true }).selectOption({ label: 'Review' });
	await form.getByLabel('Person to assign', { exact: true }).selectOption({ label: editor.name });

	// Bad input: a message with a placeholder we do not know. A message on its field; nothing saved.
	await form.getByRole('button', { name: 'Add an action' }).click();
	await form.getByLabel('Action 2', { exact: true }).selectOption({ label: 'notify someone' });
	await form.getByLabel('Message', { exact: true }).fill('Please review {card.title} by {deadline}');
	await form.getByRole('button', { name: 'Save rule' }).click();
	await expect(form.locator('[data-error-for="actions.1.message"]')).toContainText('Unknown placeholder {deadline}');
	await expect(page.getByTestId('rule-item')).toHaveCount(0);

	await form.getByLabel('Message', { exact: true }).fill('Please review {card.title}: {card.url}');
	await form.getByLabel('Switch it on when saved', { exact: true }).check();
	await form.getByRole('button', { name: 'Save rule' }).click();
	const item = page.getByTestId('rule-item').filter({ hasText: 'Assign the reviewer' });
	await expect(item).toContainText('When a card enters Review');
	await expect(item).toContainText('On');

	// Someone else moves the card in their own browser: the rule assigns them, live.
	await moveWithMenu(editor.page, 'Spring webinar', 'Review');
	await expect(card(editor.page, 'Spring webinar').getByRole('img', { name: editor.name })).toBeVisible();

	await item.getByRole('link', { name: 'Run log' }).click();
	const log = page.getByTestId('run-log');
	await expect(log.getByTestId('run-outcome').first()).toHaveText('done');
	await expect(log).toContainText(`assigned ${editor.name}`);
	await log.getByRole('link', { name: 'Spring webinar' }).first().click();
	await expect(page).toHaveURL(new RegExp(`${boardUrl.replace(/[/.?]/g, '\\$&')}\\?card=`));
});

test('a dry run lists what a new rule would have done over the last 30 days, without saving it', async () => {
	const page = owner.page;
	await page.goto(`${boardUrl}/automation`);
	const form = page.getByTestId('rule-form');
	await form.getByLabel('Name', { exact: true }).fill('Label what reaches review');
	await form.getByLabel('Trigger', { exact: true }).selectOption({ label: 'a card enters a stage' });
	await form.getByLabel('Trigger stage', { exact: true }).selectOption({ label: 'Review' });
	await form.getByLabel('Action 1', { exact: true }).selectOption({ label: 'add a label' });
	await form.getByLabel('Label', { exact: true }).fill('Reviewed');
	await form.getByRole('button', { name: 'Dry run (last 30 days)' }).click();
	const preview = page.getByTestId('dry-run');
	await expect(preview).toContainText('would have acted 1 time(s)');
	await expect(preview).toContainText('Spring webinar: label Reviewed added');
	// The form keeps the rule being built; nothing was saved.
	await expect(form.getByLabel('Name', { exact: true })).toHaveValue('Label what reaches review');
	await expect(page.getByTestId('rule-item')).toHaveCount(1);
});

test('the automation page fits a phone', async () => {
	const page = owner.page;
	await page.setViewportSize({ width: 390, height: 844 });
	await page.goto(`${boardUrl}/automation`);
	await expect(page.getByTestId('rule-item')).toHaveCount(1);
	const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
	expect(overflow).toBeLessThanOrEqual(0);
	// The "Then" row stacks its selects on a phone: each takes the row's width, none is squeezed into cut text.
	const form = page.getByTestId('rule-form');
	await form.getByLabel('Action 1').selectOption({ label: 'assign a person' });
	const row = (await form.getByTestId('rule-action').first().boundingBox())!;
	for (const label of ['Action 1', 'Person to assign']) {
		const box = (await form.getByLabel(label, { exact: true }).boundingBox())!;
		expect(box.width, label).toBeGreaterThan(row.width * 0.8);
	}
});

test('an editor has no automation tab and cannot open it', async () => {
	await expect(editor.page.getByRole('link', { name: 'Automation' })).toHaveCount(0);
	const response = await editor.page.goto(`${boardUrl}/automation`);
	expect(response?.status()).toBe(403);
});

test('each built-in hand-off rule has its own switch, usable from the keyboard', async ({ browser }) => {
	const blogger = await newPerson(browser, 'Bea Blogger');
	try {
		const page = blogger.page;
		await page.getByLabel('New board').fill('Blog');
		await page.getByTestId('new-board').getByRole('radio', { name: /^Blog post/ }).check();
		await page.getByRole('button', { name: 'Create board' }).click();
		await expect(page.getByTestId('board-name')).toHaveText('Blog');
		await page.goto(`${page.url().split('?')[0]}/automation`);
		const rows = page.getByTestId('builtin-rule');
		const research = rows.filter({ hasText: 'enters Keyword research' });
		await expect(research).toContainText('hand it to an SEO strategist');
		await page.getByRole('button', { name: 'Switch off the hand-off in Keyword research' }).focus();
		await page.keyboard.press('Enter');
		await expect(page.getByText('Hand-off switched off.')).toBeVisible();
		await page.reload();
		await expect(research).toContainText('Off');
		await expect(page.getByRole('button', { name: 'Switch on the hand-off in Keyword research' })).toBeVisible();
		// The other steps still hand off.
		await expect(rows.filter({ hasText: 'enters Outline' })).toContainText('On');
		await expect(page.getByRole('button', { name: /^Switch on the hand-off/ })).toHaveCount(1);
	} finally {
		await blogger.context.close();
	}
});
