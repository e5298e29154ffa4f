import { replaceState } from '$app/navigation';
import { compileFilter, type CardPredicate, type FilterContext } from '$lib/board/filter/compile';
import { parseFilter, type FilterError } from '$lib/board/filter/syntax';
import type { ViewItem } from '$lib/components/SavedViews.svelte';

/** How long the URL waits for typing to pause before it follows the filter. */
const URL_DELAY_MS = 300;
/** How long the `updated:` filter trusts the history it fetched. */
const CHANGES_TTL_MS = 5 * 60_000;

/** How one person sees a board: lanes, fade or hide, collapsed lanes (remembered on the server). */
export interface ViewPrefs {
	lanes: 'none' | 'owner' | 'role' | 'label' | 'expedite';
	unmatched: 'fade' | 'hide';
	collapsed: string[];
}

/** Reads an API answer's message, or a generic one. */
async function messageOf(response: Response): Promise<string> {
	const body = (await response.json().catch(() => null)) as { message?: string } | null;
	return body?.message ?? `That did not work (${response.status}). Try again.`;
}

/**
 * The board's filter in the browser: the query text (mirrored in the URL's `?q=`), its last good compiled form (a
 * query with a mistake keeps the board on the previous one), saved views, and the person's view settings.
 */
export class BoardFilterState {
	query = $state('');
	/** The mistake in the query as typed, if any. */
	error = $state.raw<FilterError | null>(null);
	/** The last query that compiled: null matches everything. */
	match = $state.raw<CardPredicate | null>(null);
	views = $state.raw<ViewItem[]>([]);
	prefs = $state<ViewPrefs>({ lanes: 'none', unmatched: 'fade', collapsed: [] });
	/** When each card last changed by the server's history (ms), fetched only for `updated:` queries. */
	lastChanged = $state.raw<Record<string, number>>({});
	private changesFetchedAt = 0;
	private urlTimer: ReturnType<typeof setTimeout> | undefined;

	constructor(
		private readonly boardId: string,
		initial: { query: string; views: ViewItem[]; prefs: ViewPrefs }
	) {
		this.query = initial.query;
		this.views = initial.views;
		this.prefs = initial.prefs;
	}

	/** Compiles the query against the board as it is now; keeps the last good filter when this one has a mistake. */
	refresh(ctx: FilterContext): void {
		const compiled = compileFilter(this.query, ctx);
		if (!compiled.ok) {
			this.error = compiled.error;
			return;
		}
		this.error = null;
		this.match = compiled.match;
		if (this.usesHistory() && Date.now() - this.changesFetchedAt > CHANGES_TTL_MS) void this.fetchChanges();
	}

	/** Puts the query in the address bar (after typing pauses), so a link shows the same view. */
	syncUrl(): void {
		clearTimeout(this.urlTimer);
		const query = this.query;
		this.urlTimer = setTimeout(() => {
			// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a throwaway copy of the address, not state
			const url = new URL(location.href);
			if (url.searchParams.get('q') === (query.trim() || null)) return;
			if (query.trim()) url.searchParams.set('q', query.trim());
			else url.searchParams.delete('q');
			replaceState(url, {});
		}, URL_DELAY_MS);
	}

	/** Saves the current query as a view; resolves to an error message or null. */
	async saveView(name: string, shared: boolean): Promise<string | null> {
		const response = await fetch(`/api/boards/${this.boardId}/views`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, query: this.query, shared }) });
		if (!response.ok) return messageOf(response);
		const { view } = (await response.json()) as { view: ViewItem };
		this.views = [...this.views, view].sort((a, b) => a.name.localeCompare(b.name));
		return null;
	}

	/** Deletes a saved view; resolves to an error message or null. */
	async deleteView(id: string): Promise<string | null> {
		const response = await fetch(`/api/boards/${this.boardId}/views/${id}`, { method: 'DELETE' });
		if (!response.ok && response.status !== 404) return messageOf(response);
		this.views = this.views.filter((v) => v.id !== id);
		return null;
	}

	/** Changes and remembers a view setting (the board follows at once; the server keeps it for next time). */
	async setPrefs(change: Partial<ViewPrefs>): Promise<string | null> {
		this.prefs = { ...this.prefs, ...change };
		const response = await fetch(`/api/boards/${this.boardId}/view-prefs`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(this.prefs) });
		return response.ok ? null : messageOf(response);
	}

	private usesHistory(): boolean {
		const parsed = parseFilter(this.query);
		return parsed.ok && parsed.terms.some((t) => t.field === 'updated');
	}

	private async fetchChanges(): Promise<void> {
		this.changesFetchedAt = Date.now();
		const response = await fetch(`/api/boards/${this.boardId}/cards/changed`);
		if (!response.ok) return;
		const { changed } = (await response.json()) as { changed: Record<string, string> };
		this.lastChanged = Object.fromEntries(Object.entries(changed).map(([id, at]) => [id, Date.parse(at)]));
	}
}
