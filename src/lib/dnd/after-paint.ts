/** Runs `fn` once the browser has painted the next frame (animation-frame callbacks run just before the paint). */
export function afterNextPaint(fn: () => void): void {
	requestAnimationFrame(() => setTimeout(fn, 0));
}
