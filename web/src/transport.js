// How the widget talks to Rasa: the socket.io channel (session persistence on), or the
// REST channel when socket.io cannot connect within a few seconds. A support agent's
// replies come over the socket as they are sent; over REST the widget asks for them
// every few seconds, and after a (re)connection it asks once for any it missed. Every
// request carries the merchant's session token (session.js).
import { io } from 'socket.io-client';

const CONNECT_TIMEOUT_MS = 4000;
export const POLL_MS = 1500;

/**
 * A bot message from either channel, as {text, buttons: [{title, payload}]}; an agent's
 * reply also has agent (their name) and replyId (its number, counting up).
 */
export function normalise(message) {
  const buttons = (message.buttons || message.quick_replies || [])
    .filter((b) => b && typeof b.title === 'string' && typeof b.payload === 'string')
    .map((b) => ({ title: b.title, payload: b.payload }));
  const normalised = { text: typeof message.text === 'string' ? message.text : '', buttons };
  if (typeof message.agent === 'string' && Number.isInteger(message.reply_id)) {
    normalised.agent = message.agent;
    normalised.replyId = message.reply_id;
  }
  return normalised;
}

export class Connection {
  /**
   * @param {object} options
   * @param {string} options.server  the Rasa server's origin
   * @param {string} options.sessionId  the conversation id (the sender)
   * @param {string} options.token  the session token for it
   * @param {(message: {text: string, buttons: object[]}) => void} options.onMessage
   * @param {(mode: 'socket'|'rest') => void} [options.onMode]
   * @param {(seconds: number) => void} [options.onRefused]  the server refused a message sent too soon after others
   * @param {() => void} [options.onExpired]  the server no longer accepts the session token
   * @param {typeof io} [options.connect]  opens the socket.io connection (socket.io's io; the tests pass a stand-in)
   * @param {number} [options.lastReplyId]  the latest agent reply already shown (0: none)
   */
  constructor({
    server, sessionId, token, onMessage, onMode, onRefused, onExpired, socketPath = '/socket.io', restPath = '/webhooks/rest/webhook',
    repliesPath = '/web/agent-replies', connect = io, lastReplyId = 0,
  }) {
    this.server = server;
    this.sessionId = sessionId;
    this.token = token;
    this.onMessage = onMessage;
    this.onMode = onMode || (() => {});
    this.onRefused = onRefused || (() => {});
    this.onExpired = onExpired || (() => {});
    this.socketPath = socketPath;
    this.restPath = restPath;
    this.repliesPath = repliesPath;
    this.connect = connect;
    this.lastReplyId = lastReplyId;
    this.poller = null;
    this.mode = 'connecting';
    this.socket = null;
    this.ready = null;
  }

  /** Connects once; resolves with the mode in use. */
  start() {
    if (this.ready) return this.ready;
    this.ready = new Promise((resolve) => {
      const fallBack = () => {
        if (this.mode !== 'connecting') return;
        if (this.socket) this.socket.close();
        this.setMode('rest');
        resolve(this.mode);
      };
      const timer = setTimeout(fallBack, CONNECT_TIMEOUT_MS);
      try {
        this.socket = this.connect(this.server, {
          path: this.socketPath, timeout: CONNECT_TIMEOUT_MS, reconnectionDelayMax: 10000, auth: { token: this.token },
        });
      } catch {
        clearTimeout(timer);
        fallBack();
        return;
      }
      this.socket.on('connect', () => this.socket.emit('session_request', { session_id: this.sessionId }));
      this.socket.on('session_confirm', () => {
        clearTimeout(timer);
        if (this.mode === 'connecting') this.setMode('socket');
        resolve(this.mode);
        if (this.mode === 'socket') this.fetchReplies();
      });
      this.socket.on('bot_uttered', (message) => {
        if (message && typeof message === 'object') this.deliver(normalise(message));
      });
      this.socket.on('error', (data) => {
        const seconds = retryAfter(data && data.retry_after);
        if (seconds) this.onRefused(seconds);
      });
      this.socket.on('connect_error', () => {
        if (!this.socket.active) fallBack();
      });
    });
    return this.ready;
  }

  setMode(mode) {
    this.mode = mode;
    this.onMode(mode);
    if (mode === 'rest' && !this.poller) {
      this.fetchReplies();
      this.poller = setInterval(() => this.fetchReplies(), POLL_MS);
    }
  }

  /** Passes a message on; an agent's reply only once, however it arrived. */
  deliver(message) {
    if (message.agent !== undefined) {
      if (message.replyId <= this.lastReplyId) return;
      this.lastReplyId = message.replyId;
    }
    this.onMessage(message);
  }

  /** Asks for the agent replies after the latest one shown; a failed request is tried at the next poll. */
  async fetchReplies() {
    const url = new URL(this.repliesPath, this.server);
    url.search = new URLSearchParams({ sender: this.sessionId, after: String(this.lastReplyId) }).toString();
    try {
      const reply = await fetch(url, { headers: this.authorization() });
      const data = reply.ok ? await reply.json() : null;
      for (const message of (data && Array.isArray(data.replies) ? data.replies : [])) {
        if (message && typeof message === 'object') this.deliver(normalise(message));
      }
    } catch {
      /* offline for a moment: the next poll (or reconnection) asks again */
    }
  }

  /** The header that carries the session token. */
  authorization() {
    return { Authorization: `Bearer ${this.token}` };
  }

  /** Sends a message; socket replies arrive through onMessage, REST ones are passed to it. */
  async send(text, metadata) {
    await this.start();
    if (this.mode === 'socket' && this.socket && this.socket.connected) {
      this.socket.emit('user_uttered', { message: text, session_id: this.sessionId, metadata });
      return;
    }
    const reply = await fetch(new URL(this.restPath, this.server), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...this.authorization() },
      body: JSON.stringify({ sender: this.sessionId, message: text, metadata }),
    });
    if (reply.status === 401) {
      this.onExpired();
      return;
    }
    if (reply.status === 429) {
      this.onRefused(retryAfter(reply.headers.get('Retry-After')) || 1);
      return;
    }
    const messages = await reply.json().catch(() => null);
    if (!Array.isArray(messages)) throw new Error(`the REST channel answered ${reply.status}`);
    for (const message of messages) this.deliver(normalise(message));
  }
}

/** The whole seconds of a Retry-After value (a number or its text), or 0. */
export function retryAfter(value) {
  const seconds = Number(value);
  return Number.isInteger(seconds) && seconds > 0 ? seconds : 0;
}
