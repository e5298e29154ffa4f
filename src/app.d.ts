import type { AppContext } from '$lib/server/context';
import type { Session, SessionUser } from '$lib/server/auth/sessions';
import type { CreationLimits } from '$lib/server/auth/rate-limit';

declare global {
	namespace App {
		interface Locals {
			ctx: AppContext;
			user: SessionUser | null;
			session: Session | null;
			/** Sign-up and board-creation limits, read from the environment at start-up. */
			limits: CreationLimits;
		}
		interface Error {
			message: string;
		}
	}
}

export {};
