import type { ApiMethod, Endpoint } from './endpoint.ts';
import { createBoardEndpoint, getBoard, listBoards } from './endpoints/boards.ts';
import { createStage, getStage, listStages, updateStage } from './endpoints/stages.ts';
import { createCard, deleteCard, getCard, listCards, moveCard, updateCard } from './endpoints/cards.ts';
import { addChecklistItem, addOwner, checkExitCriterion, deleteChecklistItem, listBoardMembers, removeOwner, uncheckExitCriterion, updateChecklistItem } from './endpoints/card-parts.ts';
import { deleteCardComment, editCardComment, listCardComments, postComment } from './endpoints/comments.ts';
import { getActivity, getPlan, getProcess, getStats } from './endpoints/insights.ts';

/** Every operation of API v1, in the order the reference lists them. The router and the OpenAPI document read this. */
export const ENDPOINTS: readonly Endpoint[] = [
	listBoards,
	createBoardEndpoint,
	getBoard,
	listStages,
	createStage,
	getStage,
	updateStage,
	listCards,
	createCard,
	getCard,
	updateCard,
	deleteCard,
	moveCard,
	addChecklistItem,
	updateChecklistItem,
	deleteChecklistItem,
	checkExitCriterion,
	uncheckExitCriterion,
	listBoardMembers,
	addOwner,
	removeOwner,
	listCardComments,
	postComment,
	editCardComment,
	deleteCardComment,
	getPlan,
	getActivity,
	getStats,
	getProcess
];

/** What a path under /api/v1 resolves to: an endpoint with its path parameters, the methods it takes, or nothing. */
export type RouteMatch = { kind: 'endpoint'; endpoint: Endpoint; params: Record<string, string> } | { kind: 'wrong_method'; allowed: ApiMethod[] } | { kind: 'none' };

const compiled = ENDPOINTS.map((endpoint) => {
	const names: string[] = [];
	const pattern = endpoint.path.replace(/\{(\w+)\}/g, (_, name: string) => {
		names.push(name);
		return '([^/]+)';
	});
	return { endpoint, names, regex: new RegExp(`^${pattern}/?$`) };
});

/** Finds the endpoint for `method` and `path` (relative to /api/v1, e.g. `/boards/x/cards`). */
export function matchRoute(method: string, path: string): RouteMatch {
	const allowed: ApiMethod[] = [];
	for (const { endpoint, names, regex } of compiled) {
		const m = regex.exec(path);
		if (!m) continue;
		if (endpoint.method !== method) {
			allowed.push(endpoint.method);
			continue;
		}
		let params: Record<string, string>;
		try {
			params = Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(m[i + 1]!)]));
		} catch {
			return { kind: 'none' };
		}
		return { kind: 'endpoint', endpoint, params };
	}
	return allowed.length > 0 ? { kind: 'wrong_method', allowed } : { kind: 'none' };
}
