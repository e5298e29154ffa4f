import { describe, expect, it } from 'vitest';
import { duration, nextSort, percent, sortRows, type Column } from '../../src/lib/components/portfolio/sortable.ts';
import { boardColumns, type PortfolioRow } from '../../src/lib/components/portfolio/columns.ts';

const board = (name: string, throughput: number, onTimeShare: number | null, compliance: number | null = null): PortfolioRow => ({
	id: name.toLowerCase(),
	name,
	throughput,
	onTimeShare,
	withDue: onTimeShare === null ? 0 : 4,
	automationShare: null,
	leadTimeP50: null,
	atRisk: 0,
	compliance,
	complianceExits: compliance === null ? 0 : 20,
	complianceTarget: 0.9
});
const rows = [board('Blog', 12, 0.5, 0.95), board('ads', 3, null), board('Events', 12, 1, 0.8), board('Video', 0, 0.25, 0.9)];
const columns = boardColumns({ from: '2026-11-01', to: '2026-11-30' });
const names = (sorted: PortfolioRow[]) => sorted.map((r) => r.name);

describe('sorting the portfolio table', () => {
	it('sorts names A to Z and back, whatever their case', () => {
		expect(names(sortRows(rows, columns, { key: 'name', direction: 'ascending' }))).toEqual(['ads', 'Blog', 'Events', 'Video']);
		expect(names(sortRows(rows, columns, { key: 'name', direction: 'descending' }))).toEqual(['Video', 'Events', 'Blog', 'ads']);
	});

	it('sorts figures either way, keeping ties in their order and boards with nothing to measure last', () => {
		expect(names(sortRows(rows, columns, { key: 'throughput', direction: 'descending' }))).toEqual(['Blog', 'Events', 'ads', 'Video']);
		expect(names(sortRows(rows, columns, { key: 'onTime', direction: 'descending' }))).toEqual(['Events', 'Blog', 'Video', 'ads']);
		expect(names(sortRows(rows, columns, { key: 'onTime', direction: 'ascending' }))).toEqual(['Video', 'Blog', 'Events', 'ads']);
	});

	it('sorts by compliance, boards without stage exits last, and shows it against the board’s target', () => {
		expect(names(sortRows(rows, columns, { key: 'compliance', direction: 'descending' }))).toEqual(['Blog', 'Video', 'Events', 'ads']);
		expect(names(sortRows(rows, columns, { key: 'compliance', direction: 'ascending' }))).toEqual(['Events', 'Video', 'Blog', 'ads']);
		const compliance = columns.find((c) => c.key === 'compliance')!;
		expect(compliance.format!(rows[0]!)).toBe('95 % of 20 (target 90 %)');
		expect(compliance.format!(rows[1]!)).toBe('–');
		// While the page waits for the process part, the row has no compliance yet: "…", sorted with the unmeasured.
		const waiting: PortfolioRow = { ...rows[0]!, compliance: undefined, complianceExits: undefined, complianceTarget: undefined };
		expect(compliance.format!(waiting)).toBe('…');
		expect(compliance.value(waiting)).toBeNull();
	});

	it('turns the same column around and starts a new one its natural way', () => {
		expect(nextSort({ key: 'name', direction: 'ascending' }, 'name', 'ascending')).toEqual({ key: 'name', direction: 'descending' });
		expect(nextSort({ key: 'name', direction: 'descending' }, 'throughput', 'descending')).toEqual({ key: 'throughput', direction: 'descending' });
	});

	it('links each board to its stats tab for the same dates, and says what a share is out of', () => {
		const [name, , onTime] = columns as [Column<PortfolioRow>, Column<PortfolioRow>, Column<PortfolioRow>];
		expect(name.href!(rows[0]!)).toBe('/b/blog/stats?from=2026-11-01&to=2026-11-30');
		expect(onTime.format!(rows[0]!)).toBe('50 % of 4');
		expect(onTime.format!(rows[1]!)).toBe('–');
		expect([percent(null), percent(0.666), duration(null), duration(47.94), duration(72)]).toEqual(['–', '67 %', '–', '47.9 h', '3.0 d']);
	});
});
