const adopted = new Map<string, CSSStyleSheet>();

/**
 * Adds `css` to the page as a constructed stylesheet, once per distinct text. Libraries that write their CSS into
 * <style> elements at run time (Plot, dnd-kit) would be refused by the Content-Security-Policy; a constructed
 * sheet is CSSOM, which CSP does not block, and it can only come from our own scripts.
 */
export function adoptStyles(css: string): void {
	if (adopted.has(css) || typeof document === 'undefined') return;
	const sheet = new CSSStyleSheet();
	sheet.replaceSync(css);
	adopted.set(css, sheet);
	document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}

/** Moves every <style> element inside `root` (not yet in the page) into adopted stylesheets. */
export function adoptStyleElements(root: Element): void {
	for (const style of root.querySelectorAll('style')) {
		adoptStyles(style.textContent ?? '');
		style.remove();
	}
}
