import { HttpClient } from '../helpers/http-client.ts';

/** A signed-up user of our server: its session cookie is shared by all of its sockets. */
export interface BenchAccount {
	http: HttpClient;
	cookie: string;
}

/** A board and the cookie of the account that owns it. */
export interface BenchBoard {
	boardId: string;
	cookie: string;
}

let signedUp = 0;
const stamp = Date.now().toString(36);

/** Signs up `count` accounts over HTTP, as a browser would (POST /signup), `parallel` at a time. */
export async function signUpAccounts(baseUrl: string, count: number, parallel = 4): Promise<BenchAccount[]> {
	const accounts: BenchAccount[] = [];
	for (let i = 0; i < count; i += parallel) {
		const batch = await Promise.all(
			Array.from({ length: Math.min(parallel, count - i) }, async () => {
				const n = signedUp++;
				const http = new HttpClient(baseUrl);
				await http.signUp(`Bench User ${n}`, `bench-${stamp}-${n}@example.test`);
				return { http, cookie: http.cookieHeader };
			})
		);
		accounts.push(...batch);
	}
	return accounts;
}

/** Makes `members` editors of the board: the owner creates an invite link, each member accepts it. */
export async function inviteMembers(owner: BenchAccount, board: BenchBoard, members: BenchAccount[]): Promise<void> {
	if (members.length === 0) return;
	const res = await owner.http.post(`/b/${board.boardId}/settings?/invite`, { role: 'editor', days: '7' });
	const token = /\/invite\/([a-z0-9]+)/.exec(res.body)?.[1];
	if (!token) throw new Error(`no invite link in the settings response (${res.status})`);
	for (const member of members) {
		const accepted = await member.http.post(`/invite/${token}`, {});
		if (accepted.status !== 303) throw new Error(`accepting the invite failed: ${accepted.status}`);
	}
}

/** Creates a board over HTTP (POST /?/create) owned by `account`. */
export async function createBoard(account: BenchAccount, name: string): Promise<BenchBoard> {
	const res = await account.http.post('/?/create', { name });
	const boardId = /^\/b\/([^/?#]+)/.exec(res.location ?? '')?.[1];
	if (res.status !== 303 || !boardId) throw new Error(`creating a board failed: ${res.status} ${res.body.slice(0, 200)}`);
	return { boardId, cookie: account.cookie };
}

/** Creates `count` boards, spread round-robin over the accounts (one board each when there are enough). */
export async function createBoards(accounts: BenchAccount[], count: number, prefix: string): Promise<BenchBoard[]> {
	const boards: BenchBoard[] = [];
	for (let i = 0; i < count; i++) boards.push(await createBoard(accounts[i % accounts.length]!, `${prefix} ${i + 1}`));
	return boards;
}
