import type { DropAnimationFunction } from '@dnd-kit/dom';

/**
 * The drop animation: once `settled` resolves (the move is applied and rendered), the overlay glides to where the
 * dropped card now is. dnd-kit's own animation heads for the element the drag started from, which is gone when the
 * card moved to another column (Svelte renders a new tile there), so it flew to the window's corner. Stage columns,
 * which stay, are their own target.
 */
export const dropToCard = (settled: () => Promise<unknown>): DropAnimationFunction => async ({ element, feedbackElement }) => {
	await settled();
	const id = element instanceof HTMLElement ? element.dataset.cardId : undefined;
	const target = (id ? document.querySelector(`[data-card-id="${CSS.escape(id)}"]`) : null) ?? (element.isConnected ? element : null);
	if (!target || !(feedbackElement instanceof HTMLElement) || matchMedia('(prefers-reduced-motion: reduce)').matches) return;
	const from = feedbackElement.getBoundingClientRect();
	const to = target.getBoundingClientRect();
	const dx = to.left - from.left;
	const dy = to.top - from.top;
	if (!dx && !dy) return;
	// `transform` rather than `translate`: dnd-kit holds the overlay's `translate` with an !important rule.
	const glide = feedbackElement.animate([{ transform: 'none' }, { transform: `translate(${dx}px, ${dy}px)` }], { duration: 150, easing: 'ease-out', fill: 'forwards' });
	await glide.finished.catch(() => undefined);
};
