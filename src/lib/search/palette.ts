/** One thing the command palette offers: go somewhere (`href`), or do something (`run`). */
export interface PaletteItem {
	id: string;
	group: 'Actions' | 'Boards' | 'Cards';
	label: string;
	detail?: string;
	href: string;
	/** After navigating: what to do on the new page (focus the new board form, say). */
	after?: () => void;
}

/** The actions the palette offers everywhere, and on a board's pages those about that board. */
export function paletteActions(board: { id: string; name: string } | null): PaletteItem[] {
	const items: PaletteItem[] = [
		{
			id: 'new-board',
			group: 'Actions',
			label: 'New board',
			href: '/',
			after: () => document.querySelector<HTMLInputElement>('[data-testid="new-board"] input[name="name"]')?.focus()
		},
		{ id: 'inbox', group: 'Actions', label: 'Open inbox', href: '/inbox' },
		{ id: 'account', group: 'Actions', label: 'Account settings', href: '/account' },
		{ id: 'notifications', group: 'Actions', label: 'Notification settings', href: '/account/notifications' },
		{ id: 'templates', group: 'Actions', label: 'Process templates', href: '/templates' }
	];
	if (board) {
		const base = `/b/${encodeURIComponent(board.id)}`;
		items.unshift(
			{ id: 'calendar', group: 'Actions', label: 'Go to calendar', detail: board.name, href: `${base}/calendar` },
			{ id: 'stats', group: 'Actions', label: 'Go to stats', detail: board.name, href: `${base}/stats` },
			{ id: 'board', group: 'Actions', label: 'Go to board', detail: board.name, href: base }
		);
	}
	return items;
}

/** Whether every word of `q` starts a word of `text` (case and accents aside): "cal" finds "Go to calendar". */
export function matchesWords(text: string, q: string): boolean {
	const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
	const words = fold(text).split(/[^\p{L}\p{N}]+/u);
	return fold(q)
		.split(/[^\p{L}\p{N}]+/u)
		.filter(Boolean)
		.every((w) => words.some((x) => x.startsWith(w)));
}
