import sharp from 'sharp';
import { expect, test } from './fixtures.ts';
import { addCard, boardWithPeople, card, type Person } from './board-helpers.ts';

test.describe.configure({ mode: 'serial' });

let owner: Person;
let editor: Person;

/** A 1200 × 800 PNG: its thumbnail is 320 × 213. */
const cover = () => sharp({ create: { width: 1200, height: 800, channels: 3, background: '#4f46e5' } }).png().toBuffer();

test.beforeAll(async ({ browser }) => {
	test.setTimeout(120_000);
	const setup = await boardWithPeople(browser, 'Comment board', ['editor']);
	owner = setup.owner;
	editor = setup.others[0]!;
	await addCard(owner.page, 'To do', 'Launch post');
	for (const person of [owner, editor]) await card(person.page, 'Launch post').click();
});

test.afterAll(async () => {
	for (const person of [owner, editor]) await person?.context.close();
});

test('a comment mentioning someone reaches their open card live and raises their bell; an unknown name is refused', async () => {
	const bell = editor.page.getByTestId('notification-bell');
	await expect(bell).toHaveAttribute('data-live', 'true');
	await expect(bell).toHaveAttribute('aria-label', 'Notifications, 0 unread');
	const comments = owner.page.getByTestId('card-comments');

	const field = comments.getByLabel('Add a comment');
	await field.fill('Who can proofread? @Nobody Here');
	await comments.getByRole('button', { name: 'Post comment' }).click();
	await expect(comments.getByTestId('comment-problem')).toHaveText(/@Nobody is not on this board/);
	await expect(comments.getByTestId('comment')).toHaveCount(0);

	// The suggestion list completes the name.
	await field.fill('Please proofread, **thanks** <img src=x onerror=alert(1)> @Edd');
	await owner.page.getByRole('option', { name: editor.name }).click();
	await expect(field).toHaveValue(`Please proofread, **thanks** <img src=x onerror=alert(1)> @${editor.name} `);
	await comments.getByRole('button', { name: 'Post comment' }).click();
	await expect(comments.getByTestId('comment-problem')).toHaveCount(0);

	const seen = editor.page.getByTestId('card-comments').getByTestId('comment');
	await expect(seen).toHaveCount(1);
	await expect(seen.getByTestId('comment-body')).toContainText(`Please proofread, thanks @${editor.name}`);
	await expect(seen.locator('strong').last()).toHaveText('thanks');
	// Markdown is sanitized: the image's handler is gone.
	await expect(seen.locator('[onerror]')).toHaveCount(0);
	await expect(bell).toHaveAttribute('aria-label', 'Notifications, 1 unread');
	// The editor can reply, but cannot edit the owner's comment.
	await expect(seen.getByRole('button', { name: 'Edit comment' })).toHaveCount(0);
	await expect(editor.page.getByTestId('card-dialog').getByTestId('activity').locator('li', { hasText: 'commented' })).toContainText(owner.name);
});

test('authors edit (marked edited) and delete their own comments, live for the other person', async () => {
	const comment = owner.page.getByTestId('card-comments').getByTestId('comment');
	await comment.getByRole('button', { name: 'Edit comment' }).click();
	await comment.getByLabel('Edit comment').fill('Please proofread by Friday.');
	await comment.getByRole('button', { name: 'Save' }).click();
	await expect(comment.getByTestId('comment-body')).toHaveText('Please proofread by Friday.');
	await expect(comment.getByTestId('comment-edited')).toBeVisible();
	const seen = editor.page.getByTestId('card-comments').getByTestId('comment');
	await expect(seen.getByTestId('comment-body')).toHaveText('Please proofread by Friday.');
	await expect(seen.getByTestId('comment-edited')).toBeVisible();

	await comment.getByRole('button', { name: 'Delete comment' }).click();
	await comment.getByRole('button', { name: 'Delete', exact: true }).click();
	await expect(owner.page.getByTestId('card-comments').getByTestId('comment')).toHaveCount(0);
	await expect(seen).toHaveCount(0);
	await expect(editor.page.getByTestId('card-dialog').getByTestId('activity').locator('li', { hasText: 'deleted a comment' })).toContainText(owner.name);
});

test('an attached image shows as a thumbnail for everyone with the card open and opens whole; a file that is not what it says is refused', async () => {
	const files = owner.page.getByTestId('card-attachments');
	await files.getByLabel('Attach files').setInputFiles({ name: 'cover.png', mimeType: 'image/png', buffer: await cover() });
	for (const page of [owner.page, editor.page]) {
		const thumbnail = page.getByTestId('card-attachments').getByTestId('attachment-thumbnail');
		await expect(thumbnail).toHaveAttribute('alt', 'Thumbnail of cover.png');
		await expect(thumbnail).toHaveAttribute('src', /\/attachments\/[a-z0-9]+\?size=thumb$/);
		// Loaded, not a broken image, and the small copy: 320 pixels wide, not the original's 1200.
		await expect.poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(320);
	}
	// Clicking the thumbnail opens the image itself.
	const thumbnail = files.getByTestId('attachment-thumbnail');
	const original = (await thumbnail.getAttribute('src'))!.replace('?size=thumb', '');
	const [tab] = await Promise.all([owner.page.context().waitForEvent('page'), thumbnail.click()]);
	await expect.poll(() => tab.url()).toBe(new URL(original, owner.page.url()).href);
	await tab.close();
	await files.getByLabel('Attach files').setInputFiles({ name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') });
	await expect(files.getByTestId('attachment-problem')).toHaveText('“notes.png” is named as a PNG image, but its contents are a PDF document. Check the file and try again.');
	await expect(files.getByTestId('attachment')).toHaveCount(1);
	// A JPEG by its bytes that no decoder can read is kept, shown with a plain icon rather than a broken image.
	await files.getByLabel('Attach files').setInputFiles({ name: 'scan.jpg', mimeType: 'image/jpeg', buffer: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00]) });
	const scan = files.getByTestId('attachment').filter({ hasText: 'scan.jpg' });
	await expect(scan.locator('span[aria-hidden="true"]')).toHaveText('jpg');
	await expect(scan.getByRole('img')).toHaveCount(0);
	await expect(files.getByTestId('attachment-thumbnail')).toHaveCount(1);

	// On a phone the comments and files fit the dialog's width.
	await owner.page.setViewportSize({ width: 390, height: 844 });
	for (const id of ['card-attachments', 'card-comments']) {
		const box = owner.page.getByTestId(id);
		expect(await box.evaluate((el) => el.scrollWidth <= el.clientWidth && el.getBoundingClientRect().right <= 390)).toBe(true);
	}
});
