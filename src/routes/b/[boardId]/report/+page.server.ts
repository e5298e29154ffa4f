import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { lastFullMonth, monthlyReport, parseReportMonth } from '$lib/server/process-review/report';
import { monthOf } from '$lib/process-report/month';
import { DomainError, statusForCode } from '$lib/server/errors';
import { requireUser } from '$lib/server/http';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	// The board's layout has checked membership (404 for anyone else).
	const { board } = await event.parent();
	const { db, documents, clock } = event.locals.ctx;
	const now = clock.now();
	const asked = event.url.searchParams.get('month');
	const latest = monthOf(now);
	let month;
	try {
		month = parseReportMonth(asked, now);
	} catch (err) {
		if (!(err instanceof DomainError)) throw err;
		// A mistyped or future month: say so beside the picker, and show nothing else.
		return { problem: err.message, asked: asked ?? '', month: lastFullMonth(now), latest, report: null };
	}
	try {
		return { problem: null, asked: month, month, latest, report: await monthlyReport(db, documents, board.id, user.id, month, now) };
	} catch (err) {
		if (err instanceof DomainError) error(statusForCode[err.code], err.message);
		throw err;
	}
};
