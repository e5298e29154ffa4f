import type * as Y from 'yjs';
import { readSnapshot } from '../../src/lib/board/doc/snapshot.ts';

/** Rows of a CSV text (RFC 4180: quoted fields may hold commas, quotes and line breaks). */
export function parseCsv(text: string): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let field = '';
	let quoted = false;
	const endField = () => {
		row.push(field);
		field = '';
	};
	for (let i = 0; i < text.length; i++) {
		const ch = text[i]!;
		if (quoted) {
			if (ch === '"' && text[i + 1] === '"') {
				field += '"';
				i++;
			} else if (ch === '"') quoted = false;
			else field += ch;
		} else if (ch === '"') quoted = true;
		else if (ch === ',') endField();
		else if (ch === '\n' || (ch === '\r' && text[i + 1] === '\n')) {
			if (ch === '\r') i++;
			endField();
			rows.push(row);
			row = [];
		} else field += ch;
	}
	if (field !== '' || row.length > 0) rows.push([...row, field]);
	return rows;
}

/**
 * Where a board's history disagrees with its document: every card whose stage in `doc` is not the stage of its
 * last `created` or `moved` event in the board's event export (read as `cookie`, a member). Empty when they agree.
 */
export async function historyDisagreements(baseUrl: string, boardId: string, cookie: string, doc: Y.Doc): Promise<string[]> {
	const res = await fetch(`${baseUrl}/api/boards/${boardId}/events.csv`, { headers: { cookie } });
	if (res.status !== 200) return [`the event export answered ${res.status}`];
	const [header, ...rows] = parseCsv(await res.text());
	const [type, card, to] = ['type', 'card_id', 'to_stage'].map((name) => header!.indexOf(name));
	const lastStage = new Map<string, string>();
	for (const row of rows) if (row[type!] === 'created' || row[type!] === 'moved') lastStage.set(row[card!]!, row[to!]!);
	const snapshot = readSnapshot(doc);
	const nameOf = new Map(snapshot.stages.map((s) => [s.id, s.name]));
	const problems: string[] = [];
	for (const [id, c] of Object.entries(snapshot.cards)) {
		const expected = nameOf.get(c.stageId) ?? '';
		const recorded = lastStage.get(id);
		if (recorded !== expected) problems.push(`card ${id} "${c.title}": in ${expected || c.stageId}, history says ${recorded ?? 'nothing'}`);
	}
	return problems;
}
