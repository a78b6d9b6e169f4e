import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FIGURES, chartData, dayLabel, dayRows, share, totalsLine } from '../src/stats.js';

const day = (d, n) => ({ day: d, conversations: n, answered: n - 1, handed_off: 1, fallbacks: 2, up: 3, down: 0 });
const DATA = {
  time_zone: 'Asia/Shanghai',
  days: [day('2026-12-06', 4), day('2026-12-07', 6)],
  totals: { conversations: 10, answered: 8, handed_off: 2, fallbacks: 4, up: 6, down: 0 },
  questions: [],
};

describe('the dashboard figures', () => {
  test('the totals in words, with the share answered without a person and the time zone', () => {
    assert.equal(totalsLine(DATA), '近 2 天：对话 10，助手独立解决 8（80%），转人工 2，没听懂 4，好评 6，差评 0（时区 Asia/Shanghai）');
  });

  test('no conversations: no share', () => {
    assert.equal(share(0, 0), '—');
    assert.equal(share(1, 3), '33%');
  });

  test("the chart's series: positions, then each figure per day", () => {
    assert.deepEqual(chartData(DATA), [[0, 1], [4, 6], [3, 5], [1, 1], [2, 2]]);
    assert.equal(chartData(DATA).length, FIGURES.length + 1);
  });

  test('the table lists the days newest first', () => {
    assert.deepEqual(dayRows(DATA), [['12-07', 6, 5, 1, 2, 3, 0], ['12-06', 4, 3, 1, 2, 3, 0]]);
    assert.equal(dayLabel('2026-01-31'), '01-31');
  });
});
