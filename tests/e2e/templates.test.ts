import { readFile } from 'node:fs/promises';
import { expect, test } from './fixtures.ts';
import { boardWithPeople, waitForBoard, type Person } from './board-helpers.ts';

test.describe.configure({ mode: 'serial' });

let owner: Person;
let editor: Person;

const BLOG_STAGES = [
	'Ideas backlog',
	'Generate idea',
	'Keyword research',
	'Outline',
	'Approve outline',
	'Final draft',
	'Images or infographics',
	'Schedule social promotion',
	'Publish and review the live version',
	'Done'
];

test.beforeAll(async ({ browser }) => {
	test.setTimeout(120_000);
	// The editor shares a board with the owner, so the owner may give them team roles on a new board.
	const setup = await boardWithPeople(browser, 'Shared work', ['editor']);
	owner = setup.owner;
	editor = setup.others[0]!;
});

test.afterAll(async () => {
	for (const person of [owner, editor]) await person?.context.close();
});

test('a board from the Blog post template: roles given to a colleague, the eight steps on the board', async () => {
	const page = owner.page;
	await page.goto('/');
	const form = page.getByTestId('new-board');
	await form.getByRole('radio', { name: /^Blog post/ }).check();
	// The picked template's steps are listed with their owner role and due day.
	const steps = form.getByTestId('template-step');
	await expect(steps).toHaveCount(BLOG_STAGES.length);
	await expect(steps.filter({ hasText: 'Keyword research' })).toContainText('SEO strategist · 25 days before');
	await expect(steps.filter({ hasText: 'Approve outline' })).toContainText('sign-off');
	// The time zone is the browser's, and editable.
	await expect(form.getByLabel('Time zone')).not.toHaveValue('');

	// A bad time zone is refused inline, and nothing is created.
	await page.getByLabel('New board').fill('Blog from a template');
	await form.getByLabel('Time zone').fill('Atlantis/Lost_City');
	await form.getByLabel(`${editor.name} as SEO strategist`).check();
	await form.getByRole('button', { name: 'Create board' }).click();
	await expect(form.getByRole('alert')).toContainText('is not a time zone this server knows');
	await expect(page.getByRole('list', { name: 'Boards' }).getByRole('listitem')).toHaveCount(1);

	await form.getByLabel('Time zone').fill('Europe/Berlin');
	await expect(form.getByLabel(`${editor.name} as SEO strategist`)).toBeChecked();
	await form.getByLabel(`${editor.name} as Blog writer`).check();
	await form.getByRole('button', { name: 'Create board' }).click();
	await expect(page.getByTestId('board-name')).toHaveText('Blog from a template');
	await waitForBoard(page);
	await expect(page.getByTestId('stage-name')).toHaveText(BLOG_STAGES);
	const boardUrl = page.url();

	// The colleague is on the new board, holding both roles.
	await editor.page.goto(`${boardUrl}/settings`);
	const roles = editor.page.getByTestId('team-roles');
	await expect(roles.getByTestId('team-role').filter({ hasText: 'SEO strategist' })).toContainText(editor.name);
	await expect(roles.getByTestId('team-role').filter({ hasText: 'Blog writer' })).toContainText(editor.name);

	// On a phone the form fits the screen.
	await page.goto('/');
	await page.setViewportSize({ width: 390, height: 844 });
	await page.getByTestId('new-board').getByRole('radio', { name: /^Blog post/ }).check();
	await expect(page.getByTestId('role-picker').first()).toBeVisible();
	expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(390);
	await page.setViewportSize({ width: 1280, height: 800 });
});

test('templates page: a bad import lists every problem by path; a good file is imported; export downloads the file', async () => {
	const page = owner.page;
	await page.goto('/');
	await page.getByRole('link', { name: 'Process templates' }).click();
	await expect(page.getByRole('heading', { name: 'Process templates', level: 1 })).toBeVisible();
	await expect(page.getByRole('list', { name: 'Built-in templates' }).getByTestId('template-card')).toHaveCount(7);
	// Team templates are everyone's on the server: the demo's is there already, whatever else other tests left.
	const teamCards = page.getByRole('list', { name: 'Team templates' }).getByTestId('template-card');
	const teamBefore = await teamCards.count();

	// Export: the Blog post template as a file.
	const blogCard = page.getByTestId('template-card').filter({ has: page.getByRole('heading', { name: 'Blog post' }) });
	const [download] = await Promise.all([page.waitForEvent('download'), blogCard.getByRole('link', { name: 'Export Blog post' }).click()]);
	expect(download.suggestedFilename()).toBe('Blog post.flowdeck-template.json');
	const file = JSON.parse(await readFile((await download.path())!, 'utf8')) as { name: string; stages: { key: string; step: Record<string, unknown> }[]; timeUnit?: string };
	expect(file.name).toBe('Blog post');
	expect(file.stages).toHaveLength(BLOG_STAGES.length);

	// Pasted JSON with problems: each one listed by path, nothing imported.
	const broken = structuredClone(file);
	delete broken.timeUnit;
	broken.stages[3]!.step.offset = 'twenty';
	broken.stages[2]!.step.ownerRole = 'Chief vibes officer';
	const importer = page.getByTestId('template-import');
	await importer.getByLabel('…or paste its JSON').fill(JSON.stringify(broken, null, 2));
	await importer.getByRole('button', { name: 'Import' }).click();
	const problems = importer.getByTestId('import-problems').getByRole('listitem');
	await expect(problems).toHaveText([/^timeUnit: must be one of "working", "calendar"/, /^stages\[2\]\.step\.ownerRole: "Chief vibes officer" is not one of the template's team roles/, 'stages[3].step.offset: must be a whole number of days']);
	await expect(teamCards).toHaveCount(teamBefore);

	// The exported file under a new name, chosen as a file: imported, listed for the team, deletable by its author.
	await importer.getByLabel('…or paste its JSON').fill('');
	await importer.getByLabel('Template file').setInputFiles({ name: 'ours.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ ...file, name: 'Our blog' })) });
	await importer.getByRole('button', { name: 'Import' }).click();
	await expect(importer.getByRole('status')).toContainText('Imported “Our blog”');
	const team = page.getByRole('list', { name: 'Team templates' });
	await expect(teamCards).toHaveCount(teamBefore + 1);
	await expect(teamCards.filter({ has: page.getByRole('heading', { name: 'Our blog' }) })).toContainText('Saved by Olivia Owner');

	// The colleague sees it but cannot delete it.
	await editor.page.goto('/templates');
	await expect(editor.page.getByRole('list', { name: 'Team templates' }).getByRole('heading', { name: 'Our blog' })).toBeVisible();
	await expect(editor.page.getByRole('button', { name: 'Delete Our blog' })).toHaveCount(0);

	await team.getByRole('button', { name: 'Delete Our blog' }).click();
	await expect(page.getByRole('status')).toContainText('Template deleted');
	await expect(teamCards).toHaveCount(teamBefore);
});
