import { expect, test } from './fixtures.ts';
import { boardCommands } from '../../src/lib/board/doc/commands.ts';
import { LOCAL } from '../../src/lib/board/doc/origins.ts';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';
import { connectBoard } from '../helpers/sync-client.ts';
import { card, newPerson, waitForBoard } from './board-helpers.ts';
import { countSocketBytes, offlineCopyStored, socketQuiet } from './socket-bytes.ts';

const CARDS = 40;

// The browser keeps an offline copy of the board (IndexedDB) and connects once it is loaded: the sync then
// carries only what either side lacks, not the whole board each way (docs/performance.md, "Warm reload").
test('a warm reload sends and receives only what changed, not the board', async ({ browser, baseURL }) => {
	const owner = await newPerson(browser, 'Wendy Warm');
	await owner.page.getByLabel('New board').fill('Warm board');
	await owner.page.getByRole('button', { name: 'Create board' }).click();
	await waitForBoard(owner.page);
	const boardUrl = owner.page.url();
	const boardId = boardUrl.split('/').pop()!;
	const cookie = (await owner.context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
	const other = connectBoard(baseURL!, boardId, { cookie });
	try {
		await other.synced();
		const commands = boardCommands(other.doc, { userId: 'warm', now: () => new Date() }, LOCAL);
		const stages = readSnapshot(other.doc).stages;
		other.doc.transact(() => {
			for (let i = 0; i < CARDS; i++) commands.addCard(stages[i % stages.length]!.id, `Campaign asset number ${i + 1} for the spring launch`);
		}, LOCAL);
		await expect(card(owner.page, `Campaign asset number ${CARDS} for the spring launch`)).toBeVisible();

		// First load in a browser without an offline copy (another context: its own IndexedDB): the whole board arrives.
		const browserB = await browser.newContext({ storageState: await owner.context.storageState() });
		const page = await browserB.newPage();
		const first = countSocketBytes(page);
		await page.goto(boardUrl);
		await waitForBoard(page);
		const firstLoad = await socketQuiet(first);
		await offlineCopyStored(page, firstLoad.received * 0.8);
		await page.close();

		// Nothing changed meanwhile: a reload exchanges state vectors, presence and notices only.
		const unchanged = await browserB.newPage();
		const again = countSocketBytes(unchanged);
		await unchanged.goto(boardUrl);
		await waitForBoard(unchanged);
		await expect(card(unchanged, `Campaign asset number 1 for the spring launch`)).toBeVisible();
		const warm = await socketQuiet(again);
		console.log(`warm reload (${CARDS} cards): first load received ${firstLoad.received} B, sent ${firstLoad.sent} B; warm reload received ${warm.received} B, sent ${warm.sent} B`);
		expect(firstLoad.received).toBeGreaterThan(CARDS * 60);
		expect(warm.received, 'received on a warm reload').toBeLessThan(firstLoad.received * 0.1);
		expect(warm.sent, 'sent on a warm reload').toBeLessThan(firstLoad.received * 0.1);

		// One card renamed elsewhere while the page was closed: about that card's worth comes in, and the page shows it.
		await unchanged.close();
		const firstCardId = Object.entries(readSnapshot(other.doc).cards).find(([, c]) => c.title.endsWith(' 1 for the spring launch'))![0];
		commands.setTitle(firstCardId, 'Renamed while you were away');
		await expect(card(owner.page, 'Renamed while you were away')).toBeVisible();
		const later = await browserB.newPage();
		const edited = countSocketBytes(later);
		await later.goto(boardUrl);
		await waitForBoard(later);
		await expect(card(later, 'Renamed while you were away')).toBeVisible();
		const afterEdit = await socketQuiet(edited);
		console.log(`warm reload after one rename elsewhere: received ${afterEdit.received} B, sent ${afterEdit.sent} B`);
		expect(afterEdit.received, 'received after one edit elsewhere').toBeLessThan(firstLoad.received * 0.1);
		expect(afterEdit.sent, 'sent after one edit elsewhere').toBeLessThan(firstLoad.received * 0.1);
		await browserB.close();
	} finally {
		other.destroy();
		await owner.context.close();
	}
});
