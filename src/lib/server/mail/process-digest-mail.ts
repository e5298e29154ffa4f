import type { OutgoingMail } from '../notifications/mailer.ts';
import type { CardRisk } from '../process-review/risk.ts';
import type { DigestWeek } from '../process-review/weekly-digest.ts';
import { changeText, inDays, percent, type HeadlineFigures } from '../../process-report/headline.ts';
import { formatDate } from '../../format/dates.ts';
import { escapeHtml, mailHtml, mailText, unsubscribeHeaders, type MailBlock } from './compose.ts';

/** What the weekly process digest mail says, and where its links go. */
export interface ProcessDigestInput {
	to: string;
	boardName: string;
	week: DigestWeek;
	headline: HeadlineFigures;
	risky: readonly CardRisk[];
	links: { report: string; stats: string; card: (cardId: string) => string; unsubscribe: string; settings: string };
	kindLabel: string;
}

const day = (d: string) => formatDate(d, { locale: 'en-GB' });
const RISK = { on_track: 'On track', at_risk: 'At risk', likely_late: 'Likely late' } as const;

/** The week's headline figures as lines of text (the HTML part shows the same lines, escaped). */
export function digestFigureLines(h: HeadlineFigures): string[] {
	return [
		`Compliance: ${percent(h.compliance.rate)} (target ${percent(h.compliance.target)}${h.compliance.met === null ? '' : h.compliance.met ? ', met' : ', not met'}), ${h.compliance.part} of ${h.compliance.of} stage exits clean`,
		`Quality: ${percent(h.quality.rate)}, ${h.quality.part} of ${h.quality.of} finished cards with their checklist complete`,
		`Steps on time: ${percent(h.stepsOnTime.rate)}, ${h.stepsOnTime.part} of ${h.stepsOnTime.of} step exits by their planned day`,
		`Lead time (median): ${inDays(h.lead.p50)}, ${changeText(h.lead.change)} against ${inDays(h.lead.baselineP50)} the week before (${h.finished} cards finished)`,
		`Cycle time (median): ${inDays(h.cycle.p50)}, ${changeText(h.cycle.change)} against ${inDays(h.cycle.baselineP50)} the week before`,
		`Automation share: ${percent(h.automation.rate)} (target ${percent(h.automation.target)})`,
		`Open cards at risk now: ${h.atRisk}`
	];
}

/** The weekly process digest of one board for its process owner: plain text and HTML, everything people typed escaped. */
export function processDigestMail(input: ProcessDigestInput): OutgoingMail {
	const subject = `Process digest for “${input.boardName}”: ${day(input.week.from)} to ${day(input.week.to)}`;
	const blocks: MailBlock[] = [
		{ heading: `${input.boardName}: the week from ${day(input.week.from)} to ${day(input.week.to)}`, body: digestFigureLines(input.headline).join('\n'), link: { href: input.links.report, label: 'Open the monthly process report' } },
		{ heading: 'The whole review', body: 'Compliance per stage and week, each step against its plan, and lead and cycle time on the stats tab.', link: { href: input.links.stats, label: 'Open the Process section of the stats' } },
		...(input.risky.length === 0
			? [{ heading: 'No open card is at risk of missing its target date.' }]
			: input.risky.map((c, i) => ({
					heading: `${i + 1}. ${c.title}`,
					body: `${RISK[c.level]}: ${Math.round(c.chance * 100)} % chance of being done by ${day(c.target)}; now in ${c.stageName}.`,
					link: { href: input.links.card(c.cardId), label: 'Open the card' }
				})))
	];
	return {
		to: input.to,
		subject,
		html: mailHtml(subject, blocks, [
			`You get this because you own the process of “${escapeHtml(input.boardName)}” and “${escapeHtml(input.kindLabel)}” is set to email in your <a href="${escapeHtml(input.links.settings)}">notification settings</a>.`,
			`<a href="${escapeHtml(input.links.unsubscribe)}">Stop these emails</a>`
		]),
		text: mailText(blocks, [`You get this because you own the process of "${input.boardName}" and "${input.kindLabel}" is set to email in your notification settings: ${input.links.settings}`, `Stop these emails: ${input.links.unsubscribe}`]),
		headers: unsubscribeHeaders(input.links.unsubscribe)
	};
}
