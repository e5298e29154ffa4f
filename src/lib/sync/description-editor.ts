import * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import { EditorSelection, EditorState } from '@codemirror/state';
import { EditorView, keymap, placeholder } from '@codemirror/view';
import { yCollab, yUndoManagerKeymap, ySyncAnnotation } from 'y-codemirror.next';
import { MAX_DESCRIPTION } from '$lib/board/doc/commands';
import { boardMaps } from '$lib/board/doc/schema';
import { carryOver, descriptionText, ensureDescriptionText } from '$lib/board/doc/descriptions';

/** The live board an editor binds to: its document and the awareness that carries everyone's cursors. */
export interface DescriptionSource {
	doc: Y.Doc;
	awareness: Awareness;
}

/** A mounted description editor. */
export interface DescriptionEditorHandle {
	/** Puts the caret in the editor. */
	focus(): void;
	/** Unmounts the editor and takes this user's cursor out of awareness. */
	destroy(): void;
}

/** How one description editor looks and talks back. */
export interface DescriptionEditorOptions {
	cardId: string;
	/** The editor's accessible name. */
	label: string;
	placeholder: string;
	/** Longest text a local edit may make (MAX_DESCRIPTION unless given). */
	maxLength?: number;
	/** Escape was pressed in the editor, which has let go of the focus: put it somewhere sensible. */
	onEscape: () => void;
	/** A local edit was refused because the text would grow past `maxLength`. */
	onTooLong: (maxLength: number) => void;
}

// The editor lives in a shadow root: CodeMirror then adopts its stylesheets as constructed sheets (CSSOM), which
// the Content-Security-Policy does not govern, instead of writing <style> elements into <head>, which it refuses.
// Inherited properties (colour, font) and the host's Tailwind classes outside still apply.
const themeFor = (dark: boolean) =>
	EditorView.theme(
		{
			'&': { fontSize: '0.875rem' },
			'&.cm-focused': { outline: 'none' },
			'.cm-scroller': {
				fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
				lineHeight: '1.5',
				minHeight: '8rem',
				maxHeight: '22rem'
			},
			// Room above the first line for a remote caret's name tag.
			'.cm-content': { padding: '0.9rem 0.75rem 0.6rem', caretColor: 'currentColor' },
			'.cm-line': { padding: '0' },
			'.cm-placeholder': { color: '#94a3b8' },
			// Always show whose caret it is (the library shows the name on hover only, which touch screens never do).
			'.cm-ySelectionInfo': { opacity: '1', fontFamily: 'inherit', fontSize: '0.7rem', borderRadius: '3px', padding: '0 3px', top: '-1.25em' },
			'.cm-ySelectionCaretDot': { display: 'none' },
			'.cm-selectionBackground, ::selection': { backgroundColor: dark ? '#3730a3' : '#c7d2fe' }
		},
		{ dark }
	);
const LIGHT = themeFor(false);
const DARK = themeFor(true);

/**
 * Mounts a CodeMirror editor bound to the card's description `Y.Text` inside `host`, showing the others' cursors
 * and selections from awareness. Creates the text if the card has none; follows the card to another text if a
 * concurrent first write replaced the one it had (carrying over what was typed here).
 */
export function mountDescriptionEditor(host: HTMLElement, source: DescriptionSource, options: DescriptionEditorOptions): DescriptionEditorHandle {
	const { doc, awareness } = source;
	const { cardId, maxLength = MAX_DESCRIPTION } = options;
	const box = document.createElement('div');
	host.append(box);
	const shadow = box.attachShadow({ mode: 'open' });
	const dark = window.matchMedia('(prefers-color-scheme: dark)').matches;

	const createdHere = descriptionText(doc, cardId) ? null : ensureDescriptionText(doc, cardId);
	let text = createdHere ?? ensureDescriptionText(doc, cardId);
	let undo: Y.UndoManager;
	let view: EditorView;

	const refuseGrowthPast = EditorState.transactionFilter.of((tr) => {
		// Remote edits must always apply, or this editor would drift from the shared text.
		if (!tr.docChanged || tr.annotation(ySyncAnnotation) !== undefined) return tr;
		if (tr.newDoc.length <= maxLength || tr.newDoc.length <= tr.startState.doc.length) return tr;
		options.onTooLong(maxLength);
		return [];
	});
	const leave = (target: EditorView) => {
		target.contentDOM.blur();
		options.onEscape();
		return true;
	};

	function open(bound: Y.Text, selection?: EditorSelection, focus = false): void {
		undo = new Y.UndoManager(bound);
		const state = EditorState.create({
			doc: bound.toString(),
			selection,
			extensions: [
				// No code-editor keymap (@codemirror/commands and the parser it pulls in would add ~20 kB gzipped): plain
				// text needs only what contenteditable does natively, plus undo of this user's own edits.
				keymap.of([{ key: 'Escape', run: leave }, ...yUndoManagerKeymap]),
				yCollab(bound, awareness, { undoManager: undo }),
				refuseGrowthPast,
				EditorView.lineWrapping,
				// Prose, not code: let the browser spell-check and capitalise sentences (CodeMirror turns both off by default).
				EditorView.contentAttributes.of({ 'aria-label': options.label, spellcheck: 'true', autocorrect: 'on', autocapitalize: 'sentences' }),
				placeholder(options.placeholder),
				dark ? DARK : LIGHT
			]
		});
		view = new EditorView({ state, parent: shadow, root: shadow });
		if (focus) view.focus();
	}

	function close(): void {
		view.destroy();
		undo.destroy();
	}

	// A concurrent first write elsewhere can replace this card's text (the map keeps one value per key), and the
	// undo of an older client's write can remove it: follow the card to whatever text it now has.
	const descriptions = boardMaps(doc).descriptions;
	const follow = (event: Y.YMapEvent<unknown>) => {
		if (!event.keysChanged.has(cardId)) return;
		const current = descriptionText(doc, cardId);
		if (current === text) return;
		const lostWords = text === createdHere ? view.state.doc.toString() : '';
		const head = view.state.selection.main.head;
		const focused = view.hasFocus;
		close();
		text = current ?? ensureDescriptionText(doc, cardId);
		carryOver(lostWords, text);
		open(text, EditorSelection.single(Math.min(head, text.length)), focused);
	};

	open(text);
	descriptions.observe(follow);
	return {
		focus: () => view.focus(),
		destroy: () => {
			descriptions.unobserve(follow);
			close();
			box.remove();
			// The library leaves the last cursor in awareness; others would keep seeing it in a card this user left.
			if (awareness.getLocalState()) awareness.setLocalStateField('cursor', null);
		}
	};
}
