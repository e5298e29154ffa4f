import type * as Y from 'yjs';
import { z } from 'zod';
import type { Actor } from '../types.ts';
import { LIMITS } from '../limits.ts';
import { boardCommands } from './commands.ts';
import type { TxOrigin } from './origins.ts';
import { boardMaps, splitCardKey } from './schema.ts';

/** One card as an import brings it: everything a CSV row of cards says (see docs/export-import.md). */
export const importedCardSchema = z.object({
	title: z.string().max(LIMITS.shortText + 10),
	description: z.string().max(LIMITS.description).default(''),
	labels: z.array(z.object({ name: z.string(), color: z.string() })).max(LIMITS.labelsPerCard).default([]),
	owners: z.array(z.string().max(64)).max(LIMITS.ownersPerCard).default([]),
	due: z.string().nullable().default(null),
	target: z.string().nullable().default(null),
	blocked: z.string().nullable().default(null),
	archived: z.boolean().default(false),
	/** null: the card starts with the board's own checklist, as any new card does; a list: exactly these items. */
	checklist: z.array(z.object({ text: z.string(), done: z.boolean() })).max(LIMITS.checklistItemsPerCard).nullable().default(null)
});

/** One card as an import brings it. */
export type ImportedCard = z.infer<typeof importedCardSchema>;

/** The server's import command: a whole card with its fields in one step (the board's own commands check each value). */
export function importCommands(doc: Y.Doc, actor: Actor, origin: TxOrigin) {
	const cmd = boardCommands(doc, actor, origin);
	const { checklists } = boardMaps(doc);
	return {
		/** Adds a card at the bottom of `stageId` with every field of `card`, in one transaction; returns its id. */
		importCard(stageId: string, card: ImportedCard): string {
			let id = '';
			doc.transact(() => {
				id = cmd.addCard(stageId, card.title);
				if (card.checklist !== null) {
					// The CSV says what the checklist is: the board's starting items make way for it.
					for (const key of [...checklists.keys()]) if (splitCardKey(key)[0] === id) checklists.delete(key);
					for (const item of card.checklist) {
						const itemId = cmd.addChecklistItem(id, item.text);
						if (item.done) cmd.setChecklistDone(id, itemId, true);
					}
				}
				if (card.description) cmd.setDescription(id, card.description);
				if (card.labels.length > 0) cmd.setLabels(id, card.labels);
				for (const owner of card.owners) cmd.addOwner(id, owner);
				if (card.due !== null) cmd.setDue(id, card.due);
				if (card.target !== null) cmd.setTarget(id, card.target);
				if (card.blocked !== null) cmd.setBlocked(id, card.blocked);
				if (card.archived) cmd.setArchived(id, true);
			}, origin);
			return id;
		}
	};
}
