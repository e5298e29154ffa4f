import { json } from '@sveltejs/kit';
import { FilterQueryError } from './card-filter.ts';

/** A refused filter as an API answers it, 400 `{ message, start, end }` (the field marks the span); null for other errors. */
export function filterRefusal(err: unknown): Response | null {
	if (!(err instanceof FilterQueryError)) return null;
	return json({ message: err.message, start: err.start, end: err.end }, { status: 400, headers: { 'cache-control': 'no-store' } });
}
