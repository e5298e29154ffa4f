/** What a room tells people about the state of their board (shown as the board's notice). */

/** Everyone on a read-only board is told this as they join. */
export const READ_ONLY_MESSAGE =
	'This board is read-only for now: opening it took the server too long several times, so it is served as stored and changes are not saved. An administrator can check the server log.';

/** The board's owners are told this after loading removed `count` unreadable entries. */
export function healedMessage(count: number): string {
	return `This board held ${count === 1 ? 'an entry' : `${count} entries`} of the wrong type, written before the server checked every change; ${count === 1 ? 'it was' : 'they were'} removed when the board was opened so that everyone can read it.`;
}

/** The writer refused at the board's size cap (`capBytes`) is told this; their browser keeps the work. */
export function boardFullMessage(capBytes: number): string {
	const mb = Math.round(capBytes / (1024 * 1024));
	return `This board has reached its size limit (${mb} MB), so your latest changes were not saved to the server. They are kept in this browser. Delete cards or long descriptions you no longer need, then reload; an administrator can raise the limit (SYNC_MAX_DOCUMENT_BYTES).`;
}
