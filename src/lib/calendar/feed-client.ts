import { z } from 'zod';
import '../board/zod-jitless.ts';

/**
 * The browser's side of the calendar link routes (src/lib/server/calendar-feeds/routes.ts): each call answers plain
 * data or a sentence for the person, never throws.
 */

const statusSchema = z.object({ createdAt: z.string(), lastFetchedAt: z.string().nullable() });
const statusAnswer = z.object({ feed: statusSchema.nullable() });
const newAnswer = z.object({ feed: statusSchema, url: z.string().url(), webcal: z.string() });
const refusal = z.object({ message: z.string() });

/** A live link as its owner sees it (ISO times). */
export type FeedLinkStatus = z.infer<typeof statusSchema>;
/** A link just made: the only time its secret URL is known. */
export type NewFeedLink = z.infer<typeof newAnswer>;
/** A result, or what went wrong in words. */
export type FeedOutcome<T> = { ok: true; value: T } | { ok: false; problem: string };

async function call<T>(endpoint: string, method: 'GET' | 'POST' | 'DELETE', schema: z.ZodType<T>): Promise<FeedOutcome<T>> {
	let res: Response;
	try {
		res = await fetch(endpoint, { method, headers: { accept: 'application/json' } });
	} catch {
		return { ok: false, problem: 'Flowdeck cannot be reached. Check your connection and try again.' };
	}
	const body: unknown = await res.json().catch(() => null);
	if (!res.ok) return { ok: false, problem: refusal.safeParse(body).data?.message ?? `The server answered ${res.status}. Try again.` };
	const parsed = schema.safeParse(body);
	return parsed.success ? { ok: true, value: parsed.data } : { ok: false, problem: 'The server’s answer was not understood. Reload the page and try again.' };
}

/** The person's live link of this kind, or null. */
export const readFeedLink = (endpoint: string) => call(endpoint, 'GET', statusAnswer.transform((a) => a.feed));
/** A new link (the old one, if any, stops working). */
export const newFeedLink = (endpoint: string) => call(endpoint, 'POST', newAnswer);
/** Turns the link off. */
export const turnOffFeedLink = (endpoint: string) => call(endpoint, 'DELETE', z.object({ turnedOff: z.boolean() }));
