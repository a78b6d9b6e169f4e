// The agent inbox's logic that needs no page: reading the server-sent event stream, and
// how waiting conversations and their messages are worded. desk.js puts them on the page.

/** Why a conversation is in the inbox, as the console names it. */
export const INBOX_REASONS = { handoff: '转人工', fallbacks: '连续没听懂', downs: '两次差评', agent: '客服接入' };
// Summary lines the inbox shows (the merchant's words are shown apart, as the latest).
const SUMMARY_SHOWN = ['问题', '店铺类型', '账号身份', '场景', '助手已答复'];

/** Reads server-sent events from text that arrives in pieces: push() returns the events complete so far. */
export class EventParser {
  constructor() {
    this.buffer = '';
  }

  /** @returns {{event: string, data: string}[]} */
  push(text) {
    this.buffer += text.replace(/\r\n?/g, '\n');
    const blocks = this.buffer.split('\n\n');
    this.buffer = blocks.pop();
    return blocks.map(parseBlock).filter((event) => event.data !== null);
  }
}

function parseBlock(block) {
  let event = 'message';
  const data = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue;
    const [field, ...rest] = line.split(':');
    const value = rest.join(':').replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  return { event, data: data.length ? data.join('\n') : null };
}

/** 「已等待 3 分 05 秒」 for a wait in seconds. */
export function waitingText(seconds) {
  const total = Math.max(0, Math.floor(seconds));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const rest = total % 60;
  if (hours) return `已等待 ${hours} 小时 ${minutes} 分`;
  if (minutes) return `已等待 ${minutes} 分 ${String(rest).padStart(2, '0')} 秒`;
  return `已等待 ${rest} 秒`;
}

/** What the inbox says of a conversation's state: its wait, or who answered it. */
export function stateText(item, elapsedSeconds = 0) {
  if (item.waiting_seconds !== null && item.waiting_seconds !== undefined) {
    return waitingText(item.waiting_seconds + elapsedSeconds);
  }
  return item.agent ? `${item.agent} 已回复` : '';
}

export function inboxReasons(item) {
  return item.reasons.map((reason) => INBOX_REASONS[reason] || reason);
}

/** The summary lines the inbox shows, in their order. */
export function summaryShown(item) {
  return (item.summary || []).filter((line) => SUMMARY_SHOWN.includes(line.label));
}

/** A conversation id, short enough for a list. */
export function shortId(sender) {
  return sender.length > 12 ? `${sender.slice(0, 8)}…` : sender;
}

/** Who said a message of the transcript. */
export function speaker(message) {
  if (message.role === 'merchant') return '商家';
  if (message.role === 'agent') return `人工客服 · ${message.agent}`;
  return '助手';
}

/** The position of the merchant's message the suggestion answers, or -1. */
export function suggestedFor(messages, suggestion) {
  if (!suggestion || !suggestion.for) return -1;
  return messages.findLastIndex((m) => m.role === 'merchant' && m.timestamp === suggestion.for.timestamp);
}

/** The line above the inbox; past the page shown, how many there are in all. */
export function inboxStatus(data) {
  const waiting = data.conversations.filter((item) => item.waiting_since).length;
  if (!data.conversations.length) return '暂无等待人工的对话。';
  const shown = waiting ? `${waiting} 个对话在等待人工回复` : '所有对话都已回复';
  const total = data.total || data.conversations.length;
  return total > data.conversations.length ? `${shown}（共 ${total} 个，显示最早的 ${data.conversations.length} 个）` : shown;
}

/**
 * The inbox after a `changes` event: the conversations new or changed replace theirs,
 * those gone leave, the page takes the server's order, and every wait is the server's.
 */
export function applyChanges(inbox, changes) {
  const known = new Map(inbox.conversations.map((item) => [item.sender, item]));
  for (const item of changes.upserted) known.set(item.sender, item);
  const conversations = changes.order
    .filter((sender) => known.has(sender))
    .map((sender) => ({ ...known.get(sender), waiting_seconds: changes.waiting[sender] ?? null }));
  return { ...inbox, version: changes.version, total: changes.total, conversations };
}
