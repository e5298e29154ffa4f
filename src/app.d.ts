import type { AppContext } from '$lib/server/context';
import type { Session, SessionUser } from '$lib/server/auth/sessions';

declare global {
	namespace App {
		interface Locals {
			ctx: AppContext;
			user: SessionUser | null;
			session: Session | null;
		}
		interface Error {
			message: string;
		}
	}
}

export {};
