// The merchant chat widget. Embed with one script tag:
//   <script src="/web/static/widget.js" data-server="http://localhost:5005"
//           data-session-url="/merchant/assistant-session" defer></script>
// data-server defaults to the script's origin. The session issuer (data-session-url, the
// host page's; by default the assistant's demo issuer, which takes data-shop-type and
// data-account-role) gives the conversation id and its signed token (session.js). Every
// message is rendered as text; an answer's first line is emphasised and a back-office
// path is shown as its steps.
import css from './widget.css';
import { answerBlocks } from './answer.js';
import { readConfig } from './config.js';
import { el, isSendKey, linkify } from './dom.js';
import { openSession } from './session.js';
import { agentIsTalking, agentLabel, appendEntry, createStorage, lastReplyId, nextBotIndex, restoreSession, storageKeys } from './transcript.js';
import { Connection } from './transport.js';

const REPLY_TIMEOUT_MS = 20000;
const MAX_TRANSCRIPT = 200;
const LOG_PADDING = 12; // px above a message shown from its top
const DEFAULT_HUMAN = { title: '转人工客服', payload: '/request_human' };

/** localStorage that may be unavailable (privacy modes): then nothing is kept. */
const storage = createStorage(() => localStorage);

// Icons as SVG paths (the thumbs are Material Design's, Apache-2.0): no emoji font needed.
const ICONS = {
  chat: 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z',
  up: 'M1 21h4V9H1v12zm22-11c0-1.1-.9-2-2-2h-6.31l.95-4.57.03-.32c0-.41-.17-.79-.44-1.06L14.17 1 7.59 7.59C7.22 7.95 7 8.45 7 9v10c0 1.1.9 2 2 2h9c.83 0 1.54-.5 1.84-1.22l3.02-7.05c.09-.23.14-.47.14-.73v-2z',
  down: 'M15 3H6c-.83 0-1.54.5-1.84 1.22l-3.02 7.05c-.09.23-.14.47-.14.73v2c0 1.1.9 2 2 2h6.31l-.95 4.57-.03.32c0 .41.17.79.44 1.06L9.83 23l6.59-6.59c.36-.36.58-.86.58-1.41V5c0-1.1-.9-2-2-2zm4 0v12h4V3h-4z',
};

class Widget {
  constructor(config) {
    this.config = config;
    this.keys = storageKeys(config.server);
    const { session, transcript } = restoreSession(storage, this.keys);
    this.session = session;
    this.transcript = transcript;
    this.human = DEFAULT_HUMAN;
    this.started = false;
    this.replyTimer = null;
    this.ready = null; // resolves with the connection once the session is open (null: it could not be)
  }

  /** Opens the session (a new one empties the transcript), then the connection. */
  async connect() {
    let session;
    try {
      session = await openSession({ url: this.config.sessionUrl, saved: this.session, metadata: this.config.metadata });
    } catch {
      return null;
    }
    if (!this.session || session.id !== this.session.id) this.clear();
    this.session = session;
    storage.set(this.keys.session, session);
    const connection = new Connection({
      server: this.config.server,
      sessionId: session.id,
      token: session.token,
      socketPath: this.config.socketPath,
      restPath: this.config.restPath,
      lastReplyId: lastReplyId(this.transcript),
      onMessage: (message) => this.receive(message),
      onMode: (mode) => this.host.setAttribute('data-transport', mode),
      onRefused: (seconds) => this.tell(`您发送得有点快，请 ${seconds} 秒后再试。`),
      onExpired: () => this.tell('会话已过期，请刷新页面后再试。'),
    });
    connection.start();
    return connection;
  }

  /** Forgets the transcript of a conversation that is over. */
  clear() {
    this.transcript.length = 0;
    this.save();
    this.log.replaceChildren();
  }

  /** A note to the merchant in place of an answer. */
  tell(text) {
    this.showTyping(false);
    this.add({ role: 'note', text });
  }

  mount() {
    this.host = el('div', { id: 'dy-assistant-widget', 'data-testid': 'chat-widget' });
    const root = this.host.attachShadow({ mode: 'open' });
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [sheet];

    this.launcher = el('button', {
      class: 'launcher', type: 'button', 'data-testid': 'chat-launcher',
      'aria-expanded': 'false', 'aria-controls': 'dy-panel', onclick: () => this.open(),
    }, [svgIcon('chat'), '在线客服']);

    this.log = el('div', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', 'aria-label': '对话记录', tabindex: '0' });
    this.typing = el('div', { class: 'typing-wrap', role: 'status', hidden: true }, [
      el('span', { class: 'sr', text: '助手正在输入…' }),
      el('div', { class: 'typing', 'data-testid': 'typing', 'aria-hidden': 'true' }, [el('i'), el('i'), el('i')]),
    ]);
    this.input = el('textarea', {
      rows: '1', maxlength: '1000', 'data-testid': 'chat-input', 'aria-label': '输入您的问题',
      placeholder: '请输入您的问题，或粘贴报错提示', onkeydown: (event) => this.onKey(event),
    });
    this.sendButton = el('button', { class: 'send', type: 'submit', 'data-testid': 'chat-send', text: '发送' });
    const composer = el('form', { class: 'composer', onsubmit: (event) => this.onSubmit(event) }, [this.input, this.sendButton]);

    this.panel = el('section', {
      id: 'dy-panel', class: 'panel', role: 'dialog', 'aria-modal': 'false', 'aria-labelledby': 'dy-title',
      hidden: true, onkeydown: (event) => event.key === 'Escape' && this.close(),
    }, [
      el('header', { class: 'header' }, [
        el('div', { class: 'title' }, [
          el('strong', { id: 'dy-title', text: '抖店规则助手' }),
          el('span', { text: '官方账号、授权号带货规则答疑' }),
        ]),
        el('button', {
          class: 'human', type: 'button', 'data-testid': 'human-button', text: '转人工',
          'aria-label': '转人工客服', onclick: () => this.send(this.human.payload, this.human.title),
        }),
        el('button', { class: 'close', type: 'button', 'aria-label': '关闭对话窗口', text: '×', onclick: () => this.close() }),
      ]),
      this.log,
      this.typing,
      composer,
    ]);

    root.append(this.launcher, this.panel);
    document.body.append(this.host);
    this.transcript.forEach((entry, position) => this.render(entry, position === this.transcript.length - 1));
    if (this.config.open) this.open();
  }

  open() {
    this.panel.hidden = false;
    this.launcher.hidden = true;
    this.launcher.setAttribute('aria-expanded', 'true');
    this.scroll();
    this.input.focus();
    if (this.started) return;
    this.started = true;
    this.ready = this.connect();
    this.ready.then((connection) => (connection ? this.loadWelcome() : this.tell('助手暂时连不上，请稍后再试。')));
  }

  close() {
    this.panel.hidden = true;
    this.launcher.hidden = false;
    this.launcher.setAttribute('aria-expanded', 'false');
    this.launcher.focus();
  }

  async loadWelcome() {
    let welcome;
    try {
      const reply = await fetch(new URL('/web/welcome', this.config.server));
      if (!reply.ok) throw new Error(String(reply.status));
      welcome = await reply.json();
    } catch {
      if (!this.transcript.length) this.add({ role: 'note', text: '助手暂时连不上，请稍后再试。' });
      return;
    }
    if (welcome.human && typeof welcome.human.payload === 'string') this.human = welcome.human;
    if (!this.transcript.length) {
      this.add({ role: 'bot', welcome: true, text: String(welcome.text || ''), buttons: welcome.buttons || [] });
    }
  }

  onKey(event) {
    // Enter sends, Shift+Enter breaks the line; never while an input method is composing.
    if (isSendKey(event)) {
      event.preventDefault();
      this.onSubmit(event);
    }
  }

  onSubmit(event) {
    event.preventDefault();
    const text = this.input.value.trim();
    if (!text) return;
    this.input.value = '';
    this.send(text, text);
  }

  /** Sends `message` (text or a button's payload), showing `shown` as the merchant's words. */
  async send(message, shown) {
    if (!this.started) this.open();
    this.retireButtons();
    this.add({ role: 'user', text: shown });
    this.showTyping(!agentIsTalking(this.transcript)); // a person answers when they do: no assistant typing
    try {
      let connection = await this.ready;
      if (!connection) connection = await (this.ready = this.connect()); // the issuer was unreachable: try again
      if (!connection) throw new Error('no session');
      await connection.send(message);
      if (connection.mode === 'rest') this.showTyping(false);
    } catch {
      this.tell('消息没有发出去，请检查网络后重试。');
    }
  }

  receive(message) {
    this.showTyping(false);
    if (message.agent !== undefined) {
      this.add({ role: 'agent', agent: message.agent, replyId: message.replyId, text: message.text });
      return;
    }
    if (!message.text && !message.buttons.length) return;
    const index = nextBotIndex(this.transcript);
    this.add({ role: 'bot', text: message.text, buttons: message.buttons, index });
  }

  showTyping(on) {
    clearTimeout(this.replyTimer);
    this.typing.hidden = !on;
    if (on) {
      this.scroll();
      this.replyTimer = setTimeout(() => {
        this.typing.hidden = true;
        this.add({ role: 'note', text: '助手暂时没有回复，您可以稍后再试，或点「转人工」。' });
      }, REPLY_TIMEOUT_MS);
    }
  }

  /** Quick replies of earlier messages no longer apply once the merchant says something. */
  retireButtons() {
    for (const entry of this.transcript) entry.retired = true;
    for (const button of this.log.querySelectorAll('[data-testid="quick-reply"]')) button.disabled = true;
  }

  add(entry) {
    appendEntry(this.transcript, entry, MAX_TRANSCRIPT);
    this.save();
    this.render(entry, true);
  }

  save() {
    storage.set(this.keys.transcript, this.transcript);
  }

  render(entry, live) {
    const row = el('div', { class: `row ${entry.role}` });
    if (entry.role === 'agent') {
      row.append(el('div', { class: 'agent-label', 'data-testid': 'agent-label', text: agentLabel(entry.agent) }));
    }
    const speaker = { bot: '助手：', user: '我：', note: '提示：' }[entry.role] || '';
    row.append(el('span', { class: 'sr', text: speaker }));
    const testid = { bot: 'bot-message', user: 'user-message', note: 'note', agent: 'agent-message' }[entry.role];
    const content = entry.role === 'bot' ? answerContent(entry.text) : linkify(entry.text);
    row.append(el('div', { class: 'bubble', 'data-testid': testid }, content));
    const buttons = Array.isArray(entry.buttons) ? entry.buttons : [];
    if (buttons.length) {
      if (entry.welcome) row.append(el('div', { class: 'suggest-label', text: '猜你想问' }));
      row.append(el('div', { class: 'replies', role: 'group', 'aria-label': entry.welcome ? '猜你想问' : '快捷回复' },
        buttons.map((button) => el('button', {
          class: 'reply', type: 'button', 'data-testid': 'quick-reply', text: String(button.title),
          disabled: Boolean(entry.retired) || !live,
          onclick: () => this.send(String(button.payload), String(button.title)),
        }))));
    }
    if (entry.role === 'bot' && !entry.welcome && entry.text) row.append(this.rating(entry));
    this.log.append(row);
    this.scroll(row);
  }

  rating(entry) {
    const status = el('span', { class: 'rate-status', role: 'status', text: entry.rated ? '感谢反馈' : '' });
    const make = (value, label) => el('button', {
      type: 'button', 'data-testid': `feedback-${value}`, 'aria-label': label, title: label,
      'aria-pressed': entry.rated === value ? 'true' : 'false', disabled: Boolean(entry.rated),
      onclick: () => this.rate(entry, value, group, status),
    }, svgIcon(value));
    const group = el('div', { class: 'rate', role: 'group', 'aria-label': '这条回答有帮助吗' }, [
      make('up', '有帮助'),
      make('down', '没有帮助'),
      status,
    ]);
    return group;
  }

  async rate(entry, value, group, status) {
    const buttons = group.querySelectorAll('button');
    buttons.forEach((button) => { button.disabled = true; });
    try {
      const reply = await fetch(new URL('/web/feedback', this.config.server), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${this.session.token}` },
        body: JSON.stringify({ sender: this.session.id, value, text: entry.text, message_index: entry.index || 0 }),
      });
      if (!reply.ok) throw new Error(String(reply.status));
      entry.rated = value;
      this.save();
      group.querySelector(`[data-testid="feedback-${value}"]`).setAttribute('aria-pressed', 'true');
      status.textContent = '感谢反馈';
    } catch {
      buttons.forEach((button) => { button.disabled = false; });
      status.textContent = '反馈没有提交成功，请重试';
    }
  }

  /** To the end of the conversation; a message taller than the log is shown from its top. */
  scroll(row) {
    const tall = row && row.offsetHeight > this.log.clientHeight;
    this.log.scrollTop = tall ? row.offsetTop - LOG_PADDING : this.log.scrollHeight;
  }
}

/** An assistant's message as blocks (answer.js): the answer emphasised, each path as steps. */
function answerContent(text) {
  return answerBlocks(text).map((block) => {
    if (block.kind === 'answer') return el('p', { class: 'answer' }, el('strong', {}, linkify(block.text)));
    if (block.kind === 'line') return el('p', {}, linkify(block.text));
    const lead = block.text ? `${block.text}，${block.label}：` : `${block.label}：`;
    const steps = block.paths.map((path) => el('ol', { class: 'steps', 'data-testid': 'path-steps' },
      path.map((step) => el('li', {}, el('span', { text: step })))));
    return el('div', { class: 'path' }, [el('p', { text: lead }), ...steps.flatMap((list, i) => (i ? [el('span', { class: 'or', text: '或' }), list] : [list]))]);
  });
}

function svgIcon(name) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', ICONS[name]);
  svg.append(path);
  return svg;
}

const config = readConfig(document.currentScript, location);

function start() {
  if (document.getElementById('dy-assistant-widget')) return;
  new Widget(config).mount();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
