import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import { describe, test } from 'node:test';
import {
  agentIsTalking, agentLabel, appendEntry, cleanTranscript, createStorage, lastReplyId, nextBotIndex, restoreSession, storageKeys,
} from '../src/transcript.js';

// Node 18 has no global crypto; the widget's browsers and Node 20+ do.
if (!globalThis.crypto) globalThis.crypto = webcrypto;

/** A localStorage stand-in over a Map, holding raw strings as the real one does. */
function memoryStorage(initial = {}) {
  const items = new Map(Object.entries(initial));
  return {
    items,
    getItem: (key) => (items.has(key) ? items.get(key) : null),
    setItem: (key, value) => { items.set(key, String(value)); },
  };
}

const ID = '0123456789abcdef0123456789abcdef';
const keys = storageKeys('http://localhost:5005');

describe('createStorage', () => {
  test('values go in and come out as JSON', () => {
    const backend = memoryStorage();
    const storage = createStorage(() => backend);
    storage.set('k', { a: [1, '二'] });
    assert.equal(backend.items.get('k'), '{"a":[1,"二"]}');
    assert.deepEqual(storage.get('k', null), { a: [1, '二'] });
  });

  test('a missing key gives the fallback', () => {
    assert.equal(createStorage(() => memoryStorage()).get('absent', 'fallback'), 'fallback');
  });

  test('saved text that is not JSON gives the fallback', () => {
    const storage = createStorage(() => memoryStorage({ k: '{not json' }));
    assert.deepEqual(storage.get('k', []), []);
  });

  test('storage that cannot be reached or is full is ignored, not thrown', () => {
    const blocked = createStorage(() => { throw new Error('SecurityError'); });
    assert.equal(blocked.get('k', 'fallback'), 'fallback');
    assert.doesNotThrow(() => blocked.set('k', 1));
    const full = createStorage(() => ({ getItem: () => null, setItem: () => { throw new Error('QuotaExceededError'); } }));
    assert.doesNotThrow(() => full.set('k', 'x'.repeat(10)));
  });
});

describe('storageKeys', () => {
  test('one conversation per assistant server', () => {
    assert.deepEqual(storageKeys('https://a.example'), {
      session: 'dy-assistant:https://a.example:session',
      transcript: 'dy-assistant:https://a.example:transcript',
    });
    assert.notEqual(storageKeys('https://a.example').session, storageKeys('https://b.example').session);
  });
});

describe('cleanTranscript', () => {
  test('entries without text, and anything not an entry, are dropped', () => {
    const good = [{ role: 'user', text: '橱窗加不了商品' }, { role: 'bot', text: '', buttons: [] }];
    const saved = [good[0], null, 'text', 7, { role: 'bot' }, { role: 'bot', text: 5 }, good[1], []];
    assert.deepEqual(cleanTranscript(saved), good);
  });

  test('a saved value that is not a list gives an empty transcript', () => {
    for (const bad of [null, undefined, {}, 'x', 3, { 0: { text: 'a' }, length: 1 }]) {
      assert.deepEqual(cleanTranscript(bad), [], JSON.stringify(bad));
    }
  });
});

describe('restoreSession', () => {
  const SESSION = { id: ID, token: 'header.claims.signature' };

  test('a valid saved session comes back with its cleaned transcript', () => {
    const backend = memoryStorage({
      [keys.session]: JSON.stringify(SESSION),
      [keys.transcript]: JSON.stringify([{ role: 'user', text: '你好' }, { role: 'bot' }, null]),
    });
    assert.deepEqual(restoreSession(createStorage(() => backend), keys), { session: SESSION, transcript: [{ role: 'user', text: '你好' }] });
  });

  test('without a valid saved session there is none, and no transcript', () => {
    const saved = [undefined, '{corrupt', JSON.stringify(ID), JSON.stringify({ id: ID }), JSON.stringify({ id: '', token: 't' }),
      JSON.stringify({ id: 'x'.repeat(129), token: 't' }), JSON.stringify({ id: ID, token: 7 })];
    for (const session of saved) {
      const initial = { [keys.transcript]: JSON.stringify([{ role: 'user', text: '旧的对话' }]) };
      if (session !== undefined) initial[keys.session] = session;
      const restored = restoreSession(createStorage(() => memoryStorage(initial)), keys);
      assert.deepEqual(restored, { session: null, transcript: [] }, String(session));
    }
  });

  test('a corrupt transcript under a valid session gives an empty transcript', () => {
    const backend = memoryStorage({ [keys.session]: JSON.stringify(SESSION), [keys.transcript]: '[{"text":' });
    assert.deepEqual(restoreSession(createStorage(() => backend), keys).transcript, []);
  });

  test('without storage there is no saved session', () => {
    const storage = createStorage(() => { throw new Error('disabled'); });
    assert.deepEqual(restoreSession(storage, keys), { session: null, transcript: [] });
  });
});

describe('appendEntry', () => {
  test('keeps the newest entries up to the limit, in place', () => {
    const transcript = [];
    for (let i = 0; i < 5; i += 1) appendEntry(transcript, { text: String(i) }, 3);
    assert.deepEqual(transcript.map((e) => e.text), ['2', '3', '4']);
    assert.equal(appendEntry(transcript, { text: '5' }, 3), transcript);
  });

  test('below the limit nothing is dropped', () => {
    const transcript = [{ text: 'a' }];
    appendEntry(transcript, { text: 'b' }, 3);
    assert.deepEqual(transcript.map((e) => e.text), ['a', 'b']);
  });
});

describe('nextBotIndex', () => {
  test('counts bot replies, not the welcome, the merchant or notes', () => {
    assert.equal(nextBotIndex([]), 0);
    assert.equal(nextBotIndex([
      { role: 'bot', welcome: true, text: '欢迎' },
      { role: 'user', text: '问' },
      { role: 'bot', text: '答一' },
      { role: 'note', text: '提示' },
      { role: 'bot', text: '答二' },
    ]), 2);
  });
});

describe('agent replies', () => {
  test('the latest reply number shown is remembered; other entries and bad numbers do not count', () => {
    assert.equal(lastReplyId([]), 0);
    assert.equal(lastReplyId([
      { role: 'agent', replyId: 4, text: 'a' }, { role: 'bot', replyId: 9, text: 'b' },
      { role: 'agent', replyId: 2, text: 'c' }, { role: 'agent', replyId: '7', text: 'd' },
    ]), 4);
  });

  test('an agent reply is labelled as from a person, by name', () => {
    assert.equal(agentLabel('王芳'), '人工客服 · 王芳');
    assert.equal(agentLabel(''), '人工客服');
  });

  test('agent replies are not counted as bot replies (they are not rated)', () => {
    assert.equal(nextBotIndex([{ role: 'agent', text: 'a', replyId: 1 }, { role: 'bot', text: 'b' }]), 1);
  });
});

describe('agentIsTalking', () => {
  test('is true once an agent answered, until the assistant speaks again', () => {
    const transcript = [{ role: 'bot', text: '您好' }, { role: 'user', text: '转人工' }];
    assert.equal(agentIsTalking(transcript), false);
    transcript.push({ role: 'agent', agent: '王芳', text: '您好，我是客服王芳' }, { role: 'user', text: '好的' });
    assert.equal(agentIsTalking(transcript), true);
    transcript.push({ role: 'note', text: '消息没有发出去' });
    assert.equal(agentIsTalking(transcript), true);
    transcript.push({ role: 'bot', text: '不能。' });
    assert.equal(agentIsTalking(transcript), false);
  });
});
