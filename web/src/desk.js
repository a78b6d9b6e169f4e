// The agent's desk in the console: the inbox of conversations waiting for a person
// (followed live over server-sent events), one conversation's transcript with the
// assistant's suggested reply beside the merchant's latest question, the reply box and
// the hand-back. Every text from the server goes in as text.
import { Unauthorized, missingNote, percent, replyError, splitClauses } from './assist.js';
import { el, isSendKey, linkify } from './dom.js';
import {
  EventParser, applyChanges, inboxReasons, inboxStatus, shortId, speaker, stateText, suggestedFor, summaryShown,
} from './inbox.js';

const RECONNECT_MS = 2000;
const $ = (id) => document.getElementById(id);

export class Desk {
  /**
   * @param {object} options
   * @param {(method: string, path: string, body?: object) => Promise<object>} options.call  the console's /assist client
   * @param {() => string} options.token  the agent's token
   * @param {(error: Unauthorized) => void} options.onUnauthorized
   * @param {() => {inputs: object[], questions: object[]}} options.vocabulary  the console's menus (GET /assist/vocabulary)
   */
  constructor({ call, token, onUnauthorized, vocabulary }) {
    this.call = call;
    this.vocabulary = vocabulary;
    this.token = token;
    this.onUnauthorized = onUnauthorized;
    this.inbox = { conversations: [] };
    this.receivedAt = 0;
    this.open = null; // {sender, version, suggestion}
    this.stream = null;
    this.ticker = null;
    $('reply-form').addEventListener('submit', (event) => this.send(event));
    $('reply-box').addEventListener('keydown', (event) => {
      if (isSendKey(event) && (event.ctrlKey || event.metaKey)) this.send(event);
    });
    $('hand-back').addEventListener('click', () => this.handBack());
  }

  /** Follows the inbox (again, after a new token). */
  start() {
    if (this.stream) return;
    this.stream = new AbortController();
    this.follow(this.stream.signal);
    this.ticker = setInterval(() => this.tick(), 1000);
  }

  stop() {
    if (this.stream) this.stream.abort();
    clearInterval(this.ticker);
    this.stream = null;
  }

  /** Reads the inbox's event stream, and opens it again whenever it ends. */
  async follow(signal) {
    while (!signal.aborted) {
      try {
        await this.read(signal);
      } catch (error) {
        if (signal.aborted) return;
        if (error instanceof Unauthorized) {
          this.onUnauthorized(error);
          return;
        }
        $('inbox-status').textContent = `与服务器的连接中断，正在重连…（${error.message}）`;
      }
      await new Promise((resume) => { setTimeout(resume, RECONNECT_MS); });
    }
  }

  async read(signal) {
    const reply = await fetch('/assist/inbox/events', {
      headers: { Authorization: `Bearer ${this.token()}`, Accept: 'text/event-stream' }, signal,
    });
    const error = replyError(reply, reply.ok ? {} : await reply.json().catch(() => ({})));
    if (error) throw error;
    const reader = reply.body.pipeThrough(new TextDecoderStream()).getReader();
    const parser = new EventParser();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      for (const event of parser.push(value)) {
        if (event.event === 'inbox') this.showInbox(JSON.parse(event.data));
        else if (event.event === 'changes') this.showInbox(applyChanges(this.inbox, JSON.parse(event.data)));
      }
    }
  }

  showInbox(data) {
    this.inbox = data;
    this.receivedAt = Date.now();
    $('inbox-status').textContent = inboxStatus(data);
    $('inbox-count').textContent = data.total ? String(data.total) : '';
    $('desk-agent').textContent = data.me ? `当前客服：${data.me}` : '';
    $('inbox-list').replaceChildren(...data.conversations.map((item) => this.inboxItem(item)));
    if (!this.open) return;
    const item = data.conversations.find((c) => c.sender === this.open.sender);
    if (!item) this.showState('已交还给助手，或已不在待接待列表中。');
    else if (item.version !== this.open.version) this.load(this.open.sender, item.version);
  }

  inboxItem(item) {
    const selected = this.open && this.open.sender === item.sender;
    const words = item.last_words ? el('p', { class: 'last-words' }, [
      el('span', { class: 'label', text: '商家最新消息' }), el('span', { 'data-testid': 'inbox-last-words', text: item.last_words.text }),
    ]) : null;
    return el('li', {}, [el('button', {
      type: 'button', class: `inbox-item${selected ? ' selected' : ''}${item.waiting_since ? ' waiting' : ''}`,
      'data-testid': 'inbox-item', 'data-sender': item.sender, 'aria-current': selected ? 'true' : 'false',
      onclick: () => this.select(item),
    }, [
      el('span', { class: 'row spread' }, [
        el('strong', { text: `商家 ${shortId(item.sender)}` }),
        el('span', { class: 'wait', 'data-testid': 'inbox-wait', 'data-sender': item.sender, text: stateText(item) }),
      ]),
      el('span', { class: 'meta' }, inboxReasons(item).map((reason) => el('span', { class: 'chip handoff', text: reason }))),
      el('dl', { class: 'summary', 'data-testid': 'inbox-summary' }, summaryShown(item).flatMap((line) => [
        el('dt', { text: line.label }), el('dd', { text: line.value }),
      ])),
      words,
    ])]);
  }

  /** Counts the waiting times on between two updates. */
  tick() {
    const elapsed = (Date.now() - this.receivedAt) / 1000;
    for (const label of document.querySelectorAll('[data-testid="inbox-wait"]')) {
      const item = this.inbox.conversations.find((c) => c.sender === label.dataset.sender);
      if (item) label.textContent = stateText(item, elapsed);
    }
  }

  select(item) {
    this.open = { sender: item.sender, version: null, suggestion: null };
    $('reply-box').value = '';
    $('reply-status').textContent = '';
    for (const button of document.querySelectorAll('[data-testid="inbox-item"]')) {
      const chosen = button.dataset.sender === item.sender;
      button.classList.toggle('selected', chosen);
      button.setAttribute('aria-current', chosen ? 'true' : 'false');
    }
    this.load(item.sender, item.version);
  }

  /** Loads the open conversation and the suggestion for its latest question. */
  async load(sender, version) {
    try {
      const [conversation, suggestion] = await Promise.all([
        this.call('GET', `/assist/conversations/${encodeURIComponent(sender)}`),
        this.call('GET', `/assist/conversations/${encodeURIComponent(sender)}/suggestion`),
      ]);
      if (!this.open || this.open.sender !== sender) return;
      this.open.version = version;
      this.open.suggestion = suggestion;
      this.showConversation(conversation, suggestion);
    } catch (error) {
      if (error instanceof Unauthorized) this.onUnauthorized(error);
      else this.showState(`加载对话失败：${error.message}`);
    }
  }

  showConversation(conversation, suggestion) {
    $('chat-empty').hidden = true;
    $('chat').hidden = false;
    $('chat-title').textContent = `商家 ${shortId(conversation.sender)}`;
    this.showState(conversation.paused ? '人工接待中，助手已暂停回复' : '助手仍在回复，发送消息即由您接管');
    $('chat-facts').replaceChildren(...conversation.facts.map((fact) => el('span', { class: 'chip', text: `${fact.input}：${fact.label}` })));
    const log = $('chat-log');
    const at = suggestedFor(conversation.messages, suggestion);
    log.replaceChildren(...conversation.messages.flatMap((message, index) => [
      chatMessage(message, message.role === 'assistant' ? this.wrongButton(conversation, index) : null),
      index === at ? this.suggestionCard(suggestion) : null,
    ]).filter(Boolean));
    log.scrollTop = log.scrollHeight;
    $('hand-back').disabled = !conversation.inbox;
  }

  /** 答复有误 under an assistant's reply: what the merchant needed, kept as a test case. */
  wrongButton(conversation, index) {
    const said = conversation.messages.slice(0, index).findLast((m) => m.role === 'merchant');
    if (!said) return null;
    const area = el('div', { class: 'wrong', 'data-testid': 'wrong-area' });
    area.append(el('button', { type: 'button', 'data-testid': 'wrong-open', text: '答复有误', onclick: () => this.wrongForm(area, conversation, said.text, conversation.messages[index].text) }));
    return area;
  }

  wrongForm(area, conversation, said, answered) {
    const { inputs, questions } = this.vocabulary();
    const question = el('select', { 'data-testid': 'wrong-intent', 'aria-label': '商家要问的是' }, [
      el('option', { value: '', text: '商家要问的是…' }),
      ...questions.map((q) => el('option', { value: q.intent, text: q.title })),
    ]);
    const facts = factMenus(inputs);
    const status = el('p', { class: 'muted', role: 'status', 'data-testid': 'wrong-status' });
    const save = async () => {
      if (!question.value) return;
      try {
        const body = { said, answered, intent: question.value, facts: chosenFacts(facts) };
        const { expected } = await this.call('POST', `/assist/conversations/${encodeURIComponent(conversation.sender)}/wrong`, body);
        area.replaceChildren(el('p', { class: 'muted', 'data-testid': 'wrong-status', text: `已记为测试用例，正确答复应以「${expected.split('\n')[0]}」开头。` }));
      } catch (error) {
        if (error instanceof Unauthorized) this.onUnauthorized(error);
        else status.textContent = `未能记录：${error.message}`;
      }
    };
    area.replaceChildren(question, ...facts, el('button', { type: 'button', 'data-testid': 'wrong-save', text: '记为测试用例', onclick: save }), status);
  }

  showState(text) {
    $('chat-state').textContent = text;
  }

  suggestionCard(suggestion) {
    const { shown, rest } = splitClauses(suggestion.clauses);
    const item = (clause) => el('li', {}, [el('strong', { text: clause.id }), el('q', { text: clause.quote })]);
    const missing = missingNote(suggestion.reply.missing);
    return el('aside', { class: 'suggestion', 'data-testid': 'chat-suggestion', 'aria-label': '助手的建议答复' }, [
      el('p', { class: 'label', text: `助手建议答复 · ${suggestion.intent.title}（置信度 ${percent(suggestion.intent.confidence)}）` }),
      el('div', { class: 'pre', 'data-testid': 'chat-suggestion-text' }, linkify(suggestion.reply.text)),
      missing ? el('p', { class: 'warning', text: missing }) : null,
      el('details', { 'data-testid': 'chat-clauses' }, [
        el('summary', { text: `依据的平台说明原文（${suggestion.clauses.length} 条）` }),
        el('ol', { class: 'clauses' }, [...shown, ...rest].map(item)),
      ]),
      el('button', {
        type: 'button', class: 'primary', 'data-testid': 'chat-insert', text: '插入到回复框',
        onclick: () => this.insert(suggestion.reply.text),
      }),
    ]);
  }

  insert(text) {
    const box = $('reply-box');
    box.value = box.value.trim() ? `${box.value.trim()}\n${text}` : text;
    box.focus();
  }

  async send(event) {
    event.preventDefault();
    const text = $('reply-box').value.trim();
    if (!this.open || !text) return;
    const button = $('reply-form').querySelector('[type=submit]');
    button.disabled = true;
    $('reply-status').textContent = '发送中…';
    try {
      await this.call('POST', `/assist/conversations/${encodeURIComponent(this.open.sender)}/reply`, { text });
      $('reply-box').value = '';
      $('reply-status').textContent = '已发送';
    } catch (error) {
      if (error instanceof Unauthorized) this.onUnauthorized(error);
      else $('reply-status').textContent = `发送失败：${error.message}`;
    } finally {
      button.disabled = false;
    }
  }

  async handBack() {
    if (!this.open) return;
    $('hand-back').disabled = true;
    try {
      await this.call('POST', `/assist/conversations/${encodeURIComponent(this.open.sender)}/hand-back`, {});
      this.showState('已交还给助手：商家的下一条消息由助手回复。');
    } catch (error) {
      $('hand-back').disabled = false;
      if (error instanceof Unauthorized) this.onUnauthorized(error);
      else this.showState(`交还失败：${error.message}`);
    }
  }
}

/** A menu per profile input (GET /assist/vocabulary's inputs), for the facts of a label. */
export function factMenus(inputs) {
  return inputs.map((input) => el('select', { name: input.name, 'aria-label': input.label }, [
    el('option', { value: '', text: `${input.label}：不指定` }),
    ...input.values.map((value) => el('option', { value: value.id, text: value.label })),
  ]));
}

/** The facts chosen in `menus` (from factMenus), by input name. */
export function chosenFacts(menus) {
  return Object.fromEntries(menus.filter((menu) => menu.value).map((menu) => [menu.name, menu.value]));
}

function chatMessage(message, extra) {
  return el('div', { class: `chat-row ${message.role}`, 'data-testid': `chat-${message.role}` }, [
    el('span', { class: 'who', text: `${speaker(message)} · ${new Date(message.at).toLocaleTimeString('zh-CN', { hour12: false })}` }),
    el('div', { class: 'bubble', 'data-testid': 'chat-text' }, linkify(message.text)),
    extra,
  ]);
}
