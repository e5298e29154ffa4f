/** What the routes tell the rule engine (it runs in the server; the routes in SvelteKit's bundle). */
export interface RuleHooks {
	/** A board's rules were saved, switched or deleted: forget the cached copy (and start timed sweeps if now needed). */
	invalidate(boardId: string): Promise<void>;
	/** Switches off (and reports) the board's rules that name a stage, role or person it no longer has. */
	checkBroken(boardId: string): Promise<void>;
}

const KEY = Symbol.for('flowdeck.rule-hooks');
type Holder = { [KEY]?: RuleHooks };

/** Installs the engine's hooks (server/rules/install.ts). */
export function installRuleHooks(hooks: RuleHooks): void {
	(globalThis as Holder)[KEY] = hooks;
}

/** The installed hooks, or ones that do nothing (scripts without a server: nothing is cached then). */
export function ruleHooks(): RuleHooks {
	return (globalThis as Holder)[KEY] ?? { invalidate: async () => {}, checkBroken: async () => {} };
}
