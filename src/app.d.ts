import type { AppContext } from '$lib/server/context';
import type { Session, SessionUser } from '$lib/server/auth/sessions';
import type { CreationLimits } from '$lib/server/auth/rate-limit';
import type { ApiSettings } from '$lib/server/api-v1/handle';

declare global {
	namespace App {
		interface Locals {
			ctx: AppContext;
			user: SessionUser | null;
			session: Session | null;
			/** Sign-up and board-creation limits, read from the environment at start-up. */
			limits: CreationLimits;
			/** API v1 settings (the per-token rate limit), read from the environment at start-up. */
			api: ApiSettings;
		}
		interface Error {
			message: string;
		}
	}
}

export {};
