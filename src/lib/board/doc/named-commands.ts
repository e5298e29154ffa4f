import type * as Y from 'yjs';
import { z } from 'zod';
import '../zod-jitless.ts';
import { STAGE_KINDS, type Actor } from '../types.ts';
import { boardCommands, CommandError, type BoardCommands } from './commands.ts';
import { serverProcessCommands } from './process-commands.ts';
import { serverCardCommands } from './card-removal.ts';
import { importCommands, importedCardSchema } from './import-commands.ts';
import type { ServerOrigin } from './origins.ts';

const id = z.string().min(1).max(64);
const text = z.string().max(100_000);
const stageKind = z.enum(STAGE_KINDS as [string, ...string[]]);
const label = z.object({ name: z.string(), color: z.string() });

/**
 * The commands the server may run on a board by name, with the arguments each takes. Names and argument lists are
 * those of `boardCommands`; the commands themselves still check values (lengths, rules) as they do for a browser.
 */
const ARGUMENTS = {
	addCard: z.tuple([id, text]),
	moveCard: z.tuple([id, id, z.number().int().min(0)]),
	setTitle: z.tuple([id, text]),
	setDescription: z.tuple([id, text]),
	setDue: z.tuple([id, z.string().nullable()]),
	setLabels: z.tuple([id, z.array(label).max(100)]),
	addOwner: z.tuple([id, id]),
	removeOwner: z.tuple([id, id]),
	setBlocked: z.tuple([id, text.nullable()]),
	setArchived: z.tuple([id, z.boolean()]),
	deleteCard: z.tuple([id]),
	addChecklistItem: z.tuple([id, text]),
	setChecklistDone: z.tuple([id, id, z.boolean()]),
	renameChecklistItem: z.tuple([id, id, text]),
	deleteChecklistItem: z.tuple([id, id]),
	setExitCheck: z.tuple([id, id, id, z.boolean()]),
	addStage: z.union([z.tuple([text]), z.tuple([text, stageKind])]),
	renameStage: z.tuple([id, text]),
	setStageKind: z.tuple([id, stageKind]),
	setWipLimit: z.tuple([id, z.number().int().min(1).max(10_000).nullable(), z.enum(['soft', 'hard'])]),
	moveStage: z.tuple([id, z.number().int().min(0)]),
	deleteStage: z.tuple([id, id.nullable()]),
	addExitCriterion: z.tuple([id, text]),
	removeExitCriterion: z.tuple([id, id]),
	setTarget: z.tuple([id, z.string().nullable()]),
	setStepDue: z.tuple([id, id, z.string().nullable()]),
	setStageStep: z.tuple([id, z.unknown()]),
	setTimeZone: z.tuple([z.string().max(64)]),
	// Only the server writes these (a browser's write to their roots is reverted).
	setTeamRoles: z.tuple([z.record(z.string(), z.array(z.string()))]),
	setHandoffs: z.tuple([id, z.boolean()]),
	purgeDeletedCard: z.tuple([id]),
	recordDecision: z.tuple([id, id, z.enum(['approve', 'changes', 'reject']), z.string().max(10_000)]),
	// Imports (a CSV of cards): a whole card in one command, so a list of them needs no ids it cannot know yet.
	importCard: z.tuple([id, importedCardSchema])
} satisfies { [K in keyof ServerCommands]?: z.ZodType };

/** Every command the server may run: a browser's and the server's own. */
type ServerCommands = BoardCommands & ReturnType<typeof serverProcessCommands> & ReturnType<typeof serverCardCommands> & ReturnType<typeof importCommands>;

/** The name of a command the server may run. */
export type CommandName = keyof typeof ARGUMENTS;

/** One named command with its arguments, as the server command path takes it (plain data: it crosses threads). */
export const namedCommandSchema = z.object({
	name: z.enum(Object.keys(ARGUMENTS) as [CommandName, ...CommandName[]]),
	args: z.array(z.unknown()).max(8)
});

/** One named command with its arguments. */
export type NamedCommand = z.infer<typeof namedCommandSchema>;

/** A command list the server refused: which command, and why (its message is for the person who asked). */
export class NamedCommandError extends CommandError {
	constructor(
		readonly index: number,
		message: string
	) {
		super(message);
		this.name = 'NamedCommandError';
	}
}

/**
 * Runs `commands` on `doc` in one transaction with `origin`, in order, and returns each one's result. A command
 * that is unknown, has the wrong arguments or is refused (a move past a hard WIP limit or with unmet exit
 * criteria, an empty title, …) throws NamedCommandError and the rest are not run; Yjs cannot undo a
 * transaction, so the commands before it stay applied (callers check what they can first; the error says which).
 */
export function runNamedCommands(doc: Y.Doc, actor: Actor, origin: ServerOrigin, commands: readonly NamedCommand[]): unknown[] {
	const run = { ...boardCommands(doc, actor, origin), ...serverProcessCommands(doc, actor, origin), ...serverCardCommands(doc, actor, origin), ...importCommands(doc, actor, origin) } as unknown as Record<CommandName, (...args: unknown[]) => unknown>;
	const results: unknown[] = [];
	doc.transact(() => {
		commands.forEach((command, index) => {
			const parsed = namedCommandSchema.safeParse(command);
			if (!parsed.success) throw new NamedCommandError(index, `Command ${index + 1} is not one the server knows.`);
			const args = ARGUMENTS[parsed.data.name].safeParse(parsed.data.args);
			if (!args.success) throw new NamedCommandError(index, `Command ${index + 1} (${parsed.data.name}) has the wrong arguments.`);
			let result: unknown;
			try {
				result = run[parsed.data.name](...(args.data as unknown[]));
			} catch (err) {
				if (err instanceof CommandError) throw new NamedCommandError(index, err.message);
				throw err;
			}
			// A move the rules refuse is not applied and says why; for the server that ends the list.
			if (parsed.data.name === 'moveCard' && result) throw new NamedCommandError(index, (result as { message: string }).message);
			results.push(result);
		});
	}, origin);
	return results;
}
