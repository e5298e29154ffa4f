/**
 * Where a card dropped among the cards a filtered view shows lands among all the stage's cards: right after the
 * shown card it was dropped under (so hidden cards between two shown ones stay where they are), before the first
 * shown card when dropped on top, at the end when the stage shows nothing. `shownIndex` is the card's position
 * among the shown cards without itself; the answer is its position among all the stage's cards without itself.
 */
export function indexAmongAll(all: readonly { id: string }[], shown: readonly { id: string }[], shownIndex: number, movingId: string): number {
	const rest = all.filter((c) => c.id !== movingId);
	const shownRest = shown.filter((c) => c.id !== movingId);
	const above = shownIndex > 0 ? shownRest[Math.min(shownIndex, shownRest.length) - 1] : undefined;
	if (above) return rest.findIndex((c) => c.id === above.id) + 1;
	const below = shownRest[0];
	if (below) return rest.findIndex((c) => c.id === below.id);
	return rest.length;
}
