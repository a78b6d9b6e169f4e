import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cleanSession, openSession } from '../src/session.js';

const URL_ = 'https://assistant.example.cn/web/session';
const SAVED = { id: 'a'.repeat(32), token: 'saved.token.sig' };

/** A fetch answering each call from `answers` in turn (a status and a body, or a thrown error); the calls are kept. */
function issuer(...answers) {
  const calls = [];
  const fetcher = async (url, init) => {
    calls.push({ url, authorization: init.headers.Authorization, body: JSON.parse(init.body) });
    const answer = answers.shift();
    if (answer instanceof Error) throw answer;
    return new Response(JSON.stringify(answer.body), { status: answer.status });
  };
  return { fetcher, calls };
}

const issued = (id, token) => ({ status: 200, body: { session_id: id, token, expires_in: 43200 } });

describe('openSession', () => {
  test('a new session is asked for with what the page knows of the merchant', async () => {
    const { fetcher, calls } = issuer(issued('n'.repeat(32), 'new.token.sig'));
    const session = await openSession({ url: URL_, saved: null, metadata: { shop_type: '旗舰店' }, fetcher });
    assert.deepEqual(session, { id: 'n'.repeat(32), token: 'new.token.sig' });
    assert.deepEqual(calls, [{ url: URL_, authorization: undefined, body: { metadata: { shop_type: '旗舰店' } } }]);
  });

  test('a saved session is renewed with its own token', async () => {
    const { fetcher, calls } = issuer(issued(SAVED.id, 'renewed.token.sig'));
    assert.deepEqual(await openSession({ url: URL_, saved: SAVED, fetcher }), { id: SAVED.id, token: 'renewed.token.sig' });
    assert.deepEqual(calls.map((c) => c.authorization), [`Bearer ${SAVED.token}`]);
  });

  test('a saved token the issuer refuses (expired) starts a new conversation', async () => {
    const { fetcher, calls } = issuer({ status: 401, body: { error: 'the session token has expired' } }, issued('n'.repeat(32), 'new'));
    assert.equal((await openSession({ url: URL_, saved: SAVED, fetcher })).id, 'n'.repeat(32));
    assert.deepEqual(calls.map((c) => c.authorization), [`Bearer ${SAVED.token}`, undefined]);
  });

  test('an unreachable or failing issuer keeps the saved session', async () => {
    for (const answer of [new TypeError('offline'), { status: 503, body: { error: 'loading' } }]) {
      const { fetcher } = issuer(answer);
      assert.deepEqual(await openSession({ url: URL_, saved: SAVED, fetcher }), SAVED);
    }
  });

  test('with nothing saved, no session from the issuer is an error', async () => {
    for (const answer of [new TypeError('offline'), { status: 404, body: { error: 'off' } }, { status: 200, body: { session_id: 'x' } }]) {
      const { fetcher } = issuer(answer);
      await assert.rejects(openSession({ url: URL_, saved: null, fetcher }));
    }
  });
});

describe('cleanSession', () => {
  test('only {id, token} with a short non-empty id and a token', () => {
    assert.deepEqual(cleanSession({ ...SAVED, extra: 1 }), SAVED);
    for (const bad of [null, 'x', { id: 'x' }, { token: 't' }, { id: '', token: 't' }, { id: 'x'.repeat(129), token: 't' }, { id: 'x', token: '' }]) {
      assert.equal(cleanSession(bad), null, JSON.stringify(bad));
    }
  });
});
