// How the widget talks to Rasa: the socket.io channel (session persistence on), or the
// REST channel when socket.io cannot connect within a few seconds.
import { io } from 'socket.io-client';

const CONNECT_TIMEOUT_MS = 4000;

/** A bot message from either channel, as {text, buttons: [{title, payload}]}. */
export function normalise(message) {
  const buttons = (message.buttons || message.quick_replies || [])
    .filter((b) => b && typeof b.title === 'string' && typeof b.payload === 'string')
    .map((b) => ({ title: b.title, payload: b.payload }));
  return { text: typeof message.text === 'string' ? message.text : '', buttons };
}

export class Connection {
  /**
   * @param {object} options
   * @param {string} options.server  the Rasa server's origin
   * @param {string} options.sessionId  the conversation id (the sender)
   * @param {(message: {text: string, buttons: object[]}) => void} options.onMessage
   * @param {(mode: 'socket'|'rest') => void} [options.onMode]
   * @param {typeof io} [options.connect]  opens the socket.io connection (socket.io's io; the tests pass a stand-in)
   */
  constructor({ server, sessionId, onMessage, onMode, socketPath = '/socket.io', restPath = '/webhooks/rest/webhook', connect = io }) {
    this.server = server;
    this.sessionId = sessionId;
    this.onMessage = onMessage;
    this.onMode = onMode || (() => {});
    this.socketPath = socketPath;
    this.restPath = restPath;
    this.connect = connect;
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
        this.socket = this.connect(this.server, { path: this.socketPath, timeout: CONNECT_TIMEOUT_MS, reconnectionDelayMax: 10000 });
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
      });
      this.socket.on('bot_uttered', (message) => {
        if (message && typeof message === 'object') this.onMessage(normalise(message));
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
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ sender: this.sessionId, message: text, metadata }),
    });
    const messages = await reply.json().catch(() => null);
    if (!Array.isArray(messages)) throw new Error(`the REST channel answered ${reply.status}`);
    for (const message of messages) this.onMessage(normalise(message));
  }
}
