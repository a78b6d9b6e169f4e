import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  CLAUSES_SHOWN, Unauthorized, formatTime, missingNote, otherExamples, percent, reasonLabel, replyError,
  splitClauses, suggestBody, unansweredStatus,
} from '../src/assist.js';

describe('replyError', () => {
  test('a success is no error', () => {
    assert.equal(replyError({ status: 200, ok: true }, { intent: {} }), null);
  });

  test('401 asks for the token again', () => {
    const error = replyError({ status: 401, ok: false }, {});
    assert.ok(error instanceof Unauthorized);
    assert.equal(error.message, '令牌不正确，请重新输入。');
  });

  test('503 about ASSISTANT_TOKEN says the console is not enabled', () => {
    const error = replyError({ status: 503, ok: false }, { error: 'ASSISTANT_TOKEN is not set' });
    assert.ok(error instanceof Unauthorized);
    assert.equal(error.message, '服务器没有设置 ASSISTANT_TOKEN，客服答复台未开启。');
  });

  test('other failures are plain errors with the server\'s words or the status', () => {
    const busy = replyError({ status: 503, ok: false }, { error: 'the model is loading' });
    assert.ok(!(busy instanceof Unauthorized));
    assert.equal(busy.message, 'the model is loading');
    const bare = replyError({ status: 500, ok: false }, {});
    assert.ok(!(bare instanceof Unauthorized));
    assert.equal(bare.message, '服务器返回 500');
  });
});

describe('suggestBody', () => {
  test('the question and only the profile fields that were chosen', () => {
    const fields = [{ name: 'shop_type', value: '旗舰店' }, { name: 'account_role', value: '' }, { name: 'channel', value: 'live' }];
    assert.deepEqual(suggestBody('橱窗加不了联盟商品', fields), { text: '橱窗加不了联盟商品', shop_type: '旗舰店', channel: 'live' });
    assert.deepEqual(suggestBody('问', []), { text: '问' });
  });
});

describe('percent', () => {
  test('a confidence as a whole percentage', () => {
    assert.equal(percent(0.876), '88%');
    assert.equal(percent(1), '100%');
    assert.equal(percent('0.5'), '50%');
  });

  test('a missing confidence is 0%', () => {
    assert.equal(percent(undefined), '0%');
    assert.equal(percent(null), '0%');
  });
});

describe('formatTime', () => {
  test('a bad or missing time shows nothing', () => {
    assert.equal(formatTime('not a time'), '');
    assert.equal(formatTime(undefined), '');
  });

  test('a time shows in Chinese order on the 24-hour clock, in the local time zone', (t) => {
    const zone = process.env.TZ;
    t.after(() => {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    });
    process.env.TZ = 'Asia/Shanghai';
    assert.equal(formatTime('2024-06-01T15:30:00Z'), '2024/6/1 23:30:00');
  });
});

describe('splitClauses', () => {
  const clauses = Array.from({ length: 6 }, (_, i) => ({ id: `一/${i + 1}`, quote: `第${i + 1}条` }));

  test(`the first ${CLAUSES_SHOWN} show, the rest fold away`, () => {
    const { shown, rest } = splitClauses(clauses);
    assert.deepEqual(shown.map((c) => c.id), ['一/1', '一/2', '一/3', '一/4']);
    assert.deepEqual(rest.map((c) => c.id), ['一/5', '一/6']);
  });

  test('up to the limit nothing folds; none at all is empty', () => {
    assert.deepEqual(splitClauses(clauses.slice(0, CLAUSES_SHOWN)).rest, []);
    assert.deepEqual(splitClauses(undefined), { shown: [], rest: [] });
  });
});

describe('missingNote', () => {
  test('names what is missing, in order', () => {
    assert.equal(missingNote([{ label: '店铺类型' }, { label: '账号身份' }]), '还缺：店铺类型、账号身份。请先向商家确认，或在上方选择后重新生成。');
  });

  test('nothing missing, no note', () => {
    assert.equal(missingNote([]), '');
    assert.equal(missingNote(undefined), '');
  });
});

describe('the unanswered list', () => {
  test('reasons are named in Chinese; an unknown one shows as it came', () => {
    assert.equal(reasonLabel('fallback'), '没听懂');
    assert.equal(reasonLabel('handoff'), '转人工');
    assert.equal(reasonLabel('down'), '差评');
    assert.equal(reasonLabel('timeout'), 'timeout');
  });

  test('other phrasings leave out the text the group is listed by', () => {
    const group = { text: '橱窗加不了', examples: ['橱窗加不了', '橱窗添加不了联盟商品', '加不了橱窗'] };
    assert.deepEqual(otherExamples(group), ['橱窗添加不了联盟商品', '加不了橱窗']);
  });

  test('the status line counts messages and groups, or says there is nothing', () => {
    assert.equal(unansweredStatus({ groups: [{}], messages: 7, total_groups: 3 }), '共 7 条消息，3 组');
    assert.equal(unansweredStatus({ groups: [], messages: 0, total_groups: 0 }), '暂无需要改进的问题。');
  });
});
