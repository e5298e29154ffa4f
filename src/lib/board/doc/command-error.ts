/** A command refused because of user input (not a bug); the message is for the user. */
export class CommandError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'CommandError';
	}
}
