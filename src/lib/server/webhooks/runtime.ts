/** The running webhook sender as request handlers see it (server/webhooks/install.ts sets it on the context). */
export interface WebhookRuntime {
	/** A board's endpoints were added, removed, enabled or disabled: forget its cached endpoint count. */
	endpointsChanged(boardId: string): void;
	/** Resolves once every send in flight has finished and been recorded (tests, shutdown). */
	idle(): Promise<void>;
}
