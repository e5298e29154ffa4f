/** What the routes tell the rule engine (it runs in the server; the routes in SvelteKit's bundle), via `AppContext.rules`. */
export interface RuleHooks {
	/** A board's rules were saved, switched or deleted: forget the cached copy (and start timed sweeps if now needed). */
	invalidate(boardId: string): Promise<void>;
	/** Switches off (and reports) the board's rules that name a stage, role or person it no longer has. */
	checkBroken(boardId: string): Promise<void>;
}

/** Hooks for a context without a rule engine (scripts): nothing is cached, so there is nothing to tell. */
export const NO_RULE_HOOKS: RuleHooks = { invalidate: async () => {}, checkBroken: async () => {} };
