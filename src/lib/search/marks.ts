/** Marks the database puts around matched words (ts_headline's StartSel/StopSel); indexed text never contains them. */
export const MARK_START = '\u0002';
/** See MARK_START. */
export const MARK_STOP = '\u0003';

/** A stretch of a highlighted text: a matched word (`hit`) or the text between. Rendered as text, never as HTML. */
export interface MarkedPart {
	text: string;
	hit: boolean;
}

/** Splits text with MARK_START/MARK_STOP pairs into parts; a stray mark is dropped, never shown. */
export function splitMarks(marked: string): MarkedPart[] {
	const parts: MarkedPart[] = [];
	let hit = false;
	let current = '';
	const push = () => {
		if (!current) return;
		const last = parts.at(-1);
		if (last && last.hit === hit) last.text += current;
		else parts.push({ text: current, hit });
		current = '';
	};
	for (const ch of marked) {
		if (ch === MARK_START || ch === MARK_STOP) {
			push();
			hit = ch === MARK_START;
		} else current += ch;
	}
	push();
	return parts;
}

/** The text without its marks. */
export const unmarked = (marked: string): string => marked.replaceAll(MARK_START, '').replaceAll(MARK_STOP, '');
