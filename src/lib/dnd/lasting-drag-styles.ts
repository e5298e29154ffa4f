import { Plugin } from '@dnd-kit/abstract';
import { StyleSheetManager, type DragDropManager } from '@dnd-kit/dom';
import { adoptStyles } from '../adopt-styles.ts';

/**
 * Keeps dnd-kit's drag styles in the page for good instead of adding them when a drag starts and removing them when
 * it ends. That sheet declares a cascade layer, so each add and each removal restyles and re-lays-out the whole page
 * (measured 30–60 ms each on a 1,000-card board: inside drag start, and again at the drop). Its rules only match
 * elements carrying dnd-kit's data-dnd-* attributes, so keeping them costs nothing between drags.
 * List it before Feedback, whose constructor registers the rules.
 * The rules are adopted as a constructed sheet, not a <style> element, so the Content-Security-Policy allows them;
 * app.css declares their `dnd-kit` cascade layer first, so it stays the lowest-priority one.
 */
export class LastingDragStyles extends Plugin<DragDropManager> {
	constructor(manager: DragDropManager) {
		super(manager);
		const sheets = manager.registry.plugins.get(StyleSheetManager);
		if (!sheets || typeof document === 'undefined') return;
		sheets.register = (cssRules: string) => {
			adoptStyles(cssRules);
			return () => {};
		};
	}
}
