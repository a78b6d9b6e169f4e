// The dashboard's figures (GET /assist/stats) as the console shows them: the period's
// totals in words, the chart's series, the days as a table. console.js draws them.

/** The figures of a day, in the order and words the dashboard shows them. */
export const FIGURES = [
  { key: 'conversations', label: '对话', color: '#1966ff' },
  { key: 'answered', label: '助手独立解决', color: '#2ea121' },
  { key: 'handed_off', label: '转人工', color: '#f77234' },
  { key: 'fallbacks', label: '没听懂', color: '#8f959e' },
];

/** "12-07" for "2026-12-07". */
export function dayLabel(day) {
  return String(day).slice(5);
}

/** The share `part` of `whole` as a whole percentage; "—" when there is no whole. */
export function share(part, whole) {
  return whole ? `${Math.round((part / whole) * 100)}%` : '—';
}

/** The period's totals in one line, e.g. 「近 30 天：对话 120，助手独立解决 96（80%）…」. */
export function totalsLine(data) {
  const t = data.totals;
  return `近 ${data.days.length} 天：对话 ${t.conversations}，助手独立解决 ${t.answered}（${share(t.answered, t.conversations)}），`
    + `转人工 ${t.handed_off}，没听懂 ${t.fallbacks}，好评 ${t.up}，差评 ${t.down}（时区 ${data.time_zone}）`;
}

/** uPlot's data: the days' positions, then one series per figure. */
export function chartData(data) {
  return [data.days.map((_, i) => i), ...FIGURES.map((f) => data.days.map((day) => Number(day[f.key]) || 0))];
}

/** The table of days, newest first: [label, …figures, 好评 (👍), 差评 (👎)]. */
export function dayRows(data) {
  return data.days.slice().reverse().map((day) => [dayLabel(day.day), ...FIGURES.map((f) => day[f.key]), day.up, day.down]);
}
