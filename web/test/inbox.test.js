import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  EventParser, applyChanges, inboxReasons, inboxStatus, shortId, speaker, stateText, suggestedFor, summaryShown, waitingText,
} from '../src/inbox.js';

describe('EventParser', () => {
  test('events split across pieces come out whole, comments and unnamed fields skipped', () => {
    const parser = new EventParser();
    assert.deepEqual(parser.push(': still here\n\nevent: inbox\ndata: {"ver'), []);
    assert.deepEqual(parser.push('sion": 3}\n\nevent: inbox\r\ndata: {}\r\n\r\n'), [
      { event: 'inbox', data: '{"version": 3}' },
      { event: 'inbox', data: '{}' },
    ]);
    assert.deepEqual(parser.push('retry: 10\n\n'), [], 'a block without data is no event');
  });

  test('several data lines join with newlines; a colon inside the data is kept; no name means "message"', () => {
    assert.deepEqual(new EventParser().push('data: a: b\ndata:c\n\n'), [{ event: 'message', data: 'a: b\nc' }]);
  });
});

describe('waiting times', () => {
  test('seconds, minutes and hours read naturally', () => {
    assert.equal(waitingText(0), '已等待 0 秒');
    assert.equal(waitingText(59.9), '已等待 59 秒');
    assert.equal(waitingText(65), '已等待 1 分 05 秒');
    assert.equal(waitingText(3 * 3600 + 125), '已等待 3 小时 2 分');
    assert.equal(waitingText(-4), '已等待 0 秒', 'a clock a little ahead never shows a negative wait');
  });

  test('a waiting conversation counts on from the server\'s figure; an answered one names the agent', () => {
    assert.equal(stateText({ waiting_seconds: 50, agent: null }, 20), '已等待 1 分 10 秒');
    assert.equal(stateText({ waiting_seconds: null, agent: '王芳' }, 20), '王芳 已回复');
    assert.equal(stateText({ waiting_seconds: 0, agent: '王芳' }), '已等待 0 秒', 'the merchant spoke after the reply');
  });
});

describe('inbox items', () => {
  const item = {
    sender: '0123456789abcdef0123456789abcdef',
    reasons: ['handoff', 'downs', 'something-new'],
    summary: [
      { label: '问题', value: '什么时候生效' }, { label: '商家原话', value: '转人工' },
      { label: '店铺类型', value: '旗舰店' }, { label: '助手已答复', value: '已经生效' },
    ],
  };

  test('reasons are named in Chinese; an unknown one is shown as it is', () => {
    assert.deepEqual(inboxReasons(item), ['转人工', '两次差评', 'something-new']);
  });

  test('the summary shows the question, the facts and the last answer, not the merchant\'s words again', () => {
    assert.deepEqual(summaryShown(item).map((line) => line.label), ['问题', '店铺类型', '助手已答复']);
    assert.deepEqual(summaryShown({ summary: null }), []);
  });

  test('a long conversation id is shortened for the list', () => {
    assert.equal(shortId(item.sender), '01234567…');
    assert.equal(shortId('merchant-1'), 'merchant-1');
  });

  test('the line above the inbox counts those still waiting', () => {
    assert.equal(inboxStatus({ conversations: [] }), '暂无等待人工的对话。');
    assert.equal(inboxStatus({ conversations: [{ waiting_since: 'x' }, { waiting_since: null }] }), '1 个对话在等待人工回复');
    assert.equal(inboxStatus({ conversations: [{ waiting_since: null }] }), '所有对话都已回复');
    assert.equal(inboxStatus({ total: 120, conversations: [{ waiting_since: 'x' }] }), '1 个对话在等待人工回复（共 120 个，显示最早的 1 个）');
  });

  test('changes replace, add and remove conversations and take the order and waits given', () => {
    const inbox = {
      me: '王芳', version: 1, total: 2,
      conversations: [{ sender: 'a', version: 1, waiting_seconds: 5 }, { sender: 'b', version: 1, waiting_seconds: 3 }],
    };
    const changed = applyChanges(inbox, {
      version: 2, total: 2, order: ['c', 'a'], removed: ['b'],
      upserted: [{ sender: 'c', version: 2, waiting_seconds: 0 }],
      waiting: { a: 9, c: 1 },
    });
    assert.deepEqual(changed, {
      me: '王芳', version: 2, total: 2,
      conversations: [{ sender: 'c', version: 2, waiting_seconds: 1 }, { sender: 'a', version: 1, waiting_seconds: 9 }],
    });
    assert.equal(inbox.conversations.length, 2); // the inbox given is left as it was
  });
});

describe('the transcript', () => {
  const messages = [
    { role: 'merchant', text: '什么时候生效', timestamp: 1 },
    { role: 'assistant', text: '已经生效', timestamp: 2 },
    { role: 'merchant', text: '转人工', timestamp: 3 },
    { role: 'agent', agent: '王芳', text: '您好', timestamp: 4 },
  ];

  test('each message says who said it', () => {
    assert.deepEqual(messages.map(speaker), ['商家', '助手', '商家', '人工客服 · 王芳']);
  });

  test('the suggestion sits beside the merchant message it answers, or nowhere', () => {
    assert.equal(suggestedFor(messages, { for: { timestamp: 1 } }), 0);
    assert.equal(suggestedFor(messages, { for: { timestamp: 2 } }), -1, 'only beside a merchant message');
    assert.equal(suggestedFor(messages, { for: null }), -1);
    assert.equal(suggestedFor(messages, null), -1);
  });
});
