import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { Connection, POLL_MS, normalise } from '../src/transport.js';

describe('normalise', () => {
  test('REST buttons keep only title and payload', () => {
    const message = { recipient_id: 'x', text: '请选择', buttons: [{ title: '旗舰店', payload: '/inform{"shop_type":"旗舰店"}', type: 'postback' }] };
    assert.deepEqual(normalise(message), { text: '请选择', buttons: [{ title: '旗舰店', payload: '/inform{"shop_type":"旗舰店"}' }] });
  });

  test('socket.io quick_replies are read when there are no buttons', () => {
    const message = { text: '还有问题吗', quick_replies: [{ content_type: 'text', title: '转人工', payload: '/request_human' }] };
    assert.deepEqual(normalise(message), { text: '还有问题吗', buttons: [{ title: '转人工', payload: '/request_human' }] });
  });

  test('buttons win over quick_replies when both are there', () => {
    const message = { text: 't', buttons: [{ title: 'a', payload: '/a' }], quick_replies: [{ title: 'b', payload: '/b' }] };
    assert.deepEqual(normalise(message).buttons, [{ title: 'a', payload: '/a' }]);
  });

  test('buttons without a string title and payload are dropped', () => {
    const message = {
      text: 't',
      buttons: [
        null, 'text', { title: 'ok', payload: '/ok' }, { title: 'no payload' }, { payload: '/no_title' },
        { title: 1, payload: '/n' }, { title: 't', payload: { intent: 'x' } }, { title: '', payload: '' },
      ],
    };
    assert.deepEqual(normalise(message).buttons, [{ title: 'ok', payload: '/ok' }, { title: '', payload: '' }]);
  });

  test("an agent's reply keeps the agent's name and its number; a half-formed one is an ordinary message", () => {
    assert.deepEqual(normalise({ text: '您好', agent: '王芳', reply_id: 7 }), { text: '您好', buttons: [], agent: '王芳', replyId: 7 });
    assert.deepEqual(normalise({ text: '您好', agent: '王芳' }), { text: '您好', buttons: [] });
    assert.deepEqual(normalise({ text: '您好', agent: 3, reply_id: 7 }), { text: '您好', buttons: [] });
  });

  test('a message without text or buttons (an image, a custom payload) is empty', () => {
    assert.deepEqual(normalise({ image: 'https://example.com/a.png' }), { text: '', buttons: [] });
    assert.deepEqual(normalise({ text: 42, custom: {} }), { text: '', buttons: [] });
  });
});

/** A socket.io socket stand-in: records what is emitted, lets the test fire events. */
function fakeSocket() {
  const handlers = new Map();
  return {
    emitted: [],
    closed: false,
    connected: true,
    active: false,
    on(event, handler) { handlers.set(event, handler); },
    emit(event, data) { this.emitted.push([event, data]); },
    close() { this.closed = true; this.connected = false; },
    fire(event, data) { handlers.get(event)(data); },
  };
}

function connection(overrides = {}) {
  const received = [];
  const modes = [];
  const socket = fakeSocket();
  const calls = [];
  const conn = new Connection({
    server: 'http://localhost:5005',
    sessionId: 'abc',
    token: 'session.token.sig',
    onMessage: (message) => received.push(message),
    onMode: (mode) => modes.push(mode),
    connect: (...args) => { calls.push(args); return socket; },
    ...overrides,
  });
  return { conn, socket, received, modes, calls };
}

const realFetch = globalThis.fetch;
afterEach(() => {
  globalThis.fetch = realFetch;
});

/**
 * Replaces fetch with one answering a POST with `body` (JSON) and `status`, and a GET of
 * agent replies with `replies` (a list, or a function of the request's URL); returns the
 * requests made.
 */
function stubFetch(body, status = 200, replies = []) {
  const requests = [];
  globalThis.fetch = async (url, init = {}) => {
    requests.push({ url: String(url), ...init, body: init.body && JSON.parse(init.body) });
    if (!init.method) {
      const found = typeof replies === 'function' ? replies(new URL(url)) : replies;
      return new Response(JSON.stringify({ replies: found }), { status: 200 });
    }
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status });
  };
  return requests;
}

// A connection that falls back to REST asks for agent replies: none, unless a test says otherwise.
beforeEach(() => stubFetch([]));

const agentReply = (id, text = `第${id}条人工回复`) => ({ reply_id: id, text, agent: '王芳' });

describe('Connection over socket.io', () => {
  test('asks for the session, and the confirmation selects the socket', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout', 'setInterval'] });
    const { conn, socket, modes, calls } = connection({ socketPath: '/rasa/socket.io' });
    const ready = conn.start();
    assert.equal(calls.length, 1);
    assert.equal(calls[0][0], 'http://localhost:5005');
    assert.equal(calls[0][1].path, '/rasa/socket.io');
    assert.deepEqual(calls[0][1].auth, { token: 'session.token.sig' }, 'the session token goes with the connection');
    socket.fire('connect');
    assert.deepEqual(socket.emitted, [['session_request', { session_id: 'abc' }]]);
    socket.fire('session_confirm');
    assert.equal(await ready, 'socket');
    assert.deepEqual(modes, ['socket']);
    t.mock.timers.tick(10000);
    assert.equal(conn.mode, 'socket', 'the connect timeout no longer applies');
    assert.equal(conn.start(), ready, 'connects once');
    assert.equal(calls.length, 1);
  });

  test('messages go out as user_uttered with the metadata; replies come back normalised', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout', 'setInterval'] });
    const { conn, socket, received } = connection();
    const requests = stubFetch(null);
    const ready = conn.start();
    socket.fire('session_confirm');
    await ready;
    await conn.send('/request_human', { shop_type: '旗舰店' });
    assert.deepEqual(socket.emitted.at(-1), ['user_uttered', { message: '/request_human', session_id: 'abc', metadata: { shop_type: '旗舰店' } }]);
    socket.fire('bot_uttered', { text: '好的', quick_replies: [{ title: 'a', payload: '/a', content_type: 'text' }] });
    socket.fire('bot_uttered', null);
    socket.fire('bot_uttered', 'not an object');
    assert.deepEqual(received, [{ text: '好的', buttons: [{ title: 'a', payload: '/a' }] }]);
    assert.deepEqual(requests.filter((r) => r.method), [], 'the socket is up: no REST call');
  });

  test("after each session confirmation the agent's replies missed meanwhile are fetched, each shown once", async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout', 'setInterval'] });
    const { conn, socket, received } = connection({ lastReplyId: 2 });
    const requests = stubFetch(null, 200, (url) => [agentReply(2), agentReply(3)].filter((r) => r.reply_id > Number(url.searchParams.get('after'))));
    conn.start();
    socket.fire('session_confirm');
    await conn.fetchReplies();  // the fetch the confirmation started has settled once this one has
    assert.equal(requests[0].url, 'http://localhost:5005/web/agent-replies?sender=abc&after=2');
    socket.fire('bot_uttered', agentReply(3));  // the same reply, live
    socket.fire('bot_uttered', agentReply(4));
    assert.deepEqual(received.map((m) => [m.agent, m.replyId]), [['王芳', 3], ['王芳', 4]]);
    t.mock.timers.tick(POLL_MS * 3);
    assert.equal(requests.length, 2, 'no polling while the socket is up');
  });

  test('no confirmation within the timeout falls back to REST', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout', 'setInterval'] });
    const { conn, socket, modes } = connection();
    const ready = conn.start();
    t.mock.timers.tick(3999);
    assert.equal(conn.mode, 'connecting');
    t.mock.timers.tick(1);
    assert.equal(await ready, 'rest');
    assert.equal(socket.closed, true);
    assert.deepEqual(modes, ['rest']);
    socket.fire('session_confirm');
    assert.equal(conn.mode, 'rest', 'a late confirmation does not switch back');
  });

  test('a connect error that socket.io gives up on falls back to REST at once', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout', 'setInterval'] });
    const { conn, socket } = connection();
    const ready = conn.start();
    socket.active = true;
    socket.fire('connect_error');
    assert.equal(conn.mode, 'connecting', 'socket.io is still retrying');
    socket.active = false;
    socket.fire('connect_error');
    assert.equal(await ready, 'rest');
    assert.equal(socket.closed, true);
  });

  test('an error event that says when to retry is told; other error events are not', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout', 'setInterval'] });
    const refused = [];
    const { conn, socket } = connection({ onRefused: (s) => refused.push(s) });
    conn.start();
    socket.fire('session_confirm');
    socket.fire('error', { error: 'too many messages: try again in 5 seconds', retry_after: 5 });
    socket.fire('error', { error: '"message" must be text' });
    socket.fire('error', undefined);
    assert.deepEqual(refused, [5]);
  });

  test('a socket that cannot even be created falls back to REST', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout', 'setInterval'] });
    const { conn, modes } = connection({ connect: () => { throw new Error('no WebSocket'); } });
    assert.equal(await conn.start(), 'rest');
    assert.deepEqual(modes, ['rest']);
  });
});

describe('Connection over REST', () => {
  async function restConnection(t) {
    t.mock.timers.enable({ apis: ['setTimeout', 'setInterval'] });
    const parts = connection({ connect: () => { throw new Error('no socket'); }, restPath: '/webhooks/rest/webhook' });
    await parts.conn.start();
    return parts;
  }

  test("agent replies are polled every few seconds and shown once each; a failed poll is tried again", async (t) => {
    const { conn, received } = await restConnection(t);
    let sent = [agentReply(1)];
    let failing = false;
    const requests = stubFetch(null, 200, (url) => {
      if (failing) throw new TypeError('offline');
      return sent.filter((r) => r.reply_id > Number(url.searchParams.get('after')));
    });
    t.mock.timers.tick(POLL_MS);
    await conn.fetchReplies();
    assert.deepEqual(received.map((m) => m.text), ['第1条人工回复']);
    failing = true;
    sent = [agentReply(1), agentReply(2)];
    t.mock.timers.tick(POLL_MS);
    await conn.fetchReplies();
    failing = false;
    t.mock.timers.tick(POLL_MS);
    await conn.fetchReplies();
    assert.deepEqual(received.map((m) => m.text), ['第1条人工回复', '第2条人工回复']);
    assert.ok(requests.length >= 5);
    assert.ok(requests.every((r) => r.url.startsWith('http://localhost:5005/web/agent-replies?sender=abc&after=')));
    assert.ok(requests.every((r) => r.headers.Authorization === 'Bearer session.token.sig'));
  });

  test('posts sender, message and metadata, and passes each reply on normalised', async (t) => {
    const { conn, received } = await restConnection(t);
    const requests = stubFetch([
      { recipient_id: 'abc', text: '第一条' },
      { recipient_id: 'abc', text: '第二条', buttons: [{ title: '是', payload: '/affirm' }, { title: 3 }] },
    ]);
    await conn.send('橱窗加不了商品', { account_role: '授权号' });
    assert.equal(requests.length, 1);
    assert.equal(requests[0].url, 'http://localhost:5005/webhooks/rest/webhook');
    assert.equal(requests[0].method, 'POST');
    assert.equal(requests[0].headers['Content-Type'], 'application/json');
    assert.equal(requests[0].headers.Authorization, 'Bearer session.token.sig');
    assert.deepEqual(requests[0].body, { sender: 'abc', message: '橱窗加不了商品', metadata: { account_role: '授权号' } });
    assert.deepEqual(received, [
      { text: '第一条', buttons: [] },
      { text: '第二条', buttons: [{ title: '是', payload: '/affirm' }] },
    ]);
  });

  test('a message refused as too soon (429) is told with its Retry-After, not as an error', async (t) => {
    const refused = [];
    t.mock.timers.enable({ apis: ['setTimeout', 'setInterval'] });
    const { conn, received } = connection({ connect: () => { throw new Error('no socket'); }, onRefused: (s) => refused.push(s) });
    await conn.start();
    globalThis.fetch = async () => new Response('{"error": "too many messages"}', { status: 429, headers: { 'Retry-After': '7' } });
    await conn.send('hi');
    assert.deepEqual(refused, [7]);
    assert.deepEqual(received, []);
  });

  test('a session token the server no longer accepts (401) is told, not as an error', async (t) => {
    let expired = 0;
    t.mock.timers.enable({ apis: ['setTimeout', 'setInterval'] });
    const { conn, received } = connection({ connect: () => { throw new Error('no socket'); }, onExpired: () => { expired += 1; } });
    await conn.start();
    stubFetch({ error: 'the session token has expired' }, 401);
    await conn.send('hi');
    assert.equal(expired, 1);
    assert.deepEqual(received, []);
  });

  test('a reply that is not a list of messages is an error naming the status', async (t) => {
    const { conn, received } = await restConnection(t);
    stubFetch({ error: 'boom' }, 500);
    await assert.rejects(conn.send('hi'), /REST channel answered 500/);
    stubFetch('<html>bad gateway</html>', 502);
    await assert.rejects(conn.send('hi'), /REST channel answered 502/);
    assert.deepEqual(received, []);
  });
});
