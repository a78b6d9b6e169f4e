// The agent console's logic that needs no page: how server replies, suggestions and the
// unanswered groups are read and worded. console.js puts the results on the page.

/** Reasons a message is listed as unanswered, as the console names them. */
export const REASONS = { fallback: '没听懂', handoff: '转人工', down: '差评' };
// Clauses shown before the rest fold away.
export const CLAUSES_SHOWN = 4;

/** The token is missing, wrong or not configured: the console asks for it again. */
export class Unauthorized extends Error {}

/**
 * The error a reply from /assist stands for, or null when it succeeded.
 * @param {{status: number, ok: boolean}} reply
 * @param {object} data  the reply's JSON body ({} when it had none)
 */
export function replyError(reply, data) {
  if (reply.status === 401) return new Unauthorized('令牌不正确，请重新输入。');
  if (reply.status === 503 && /ASSISTANT_TOKEN/.test(data.error || '')) {
    return new Unauthorized('服务器没有设置 ASSISTANT_TOKEN，客服答复台未开启。');
  }
  if (!reply.ok) return new Error(data.error || `服务器返回 ${reply.status}`);
  return null;
}

/** The body of a suggestion request: the question and the profile fields that were chosen. */
export function suggestBody(text, fields) {
  const body = { text };
  for (const field of fields) {
    if (field.value) body[field.name] = field.value;
  }
  return body;
}

export function percent(confidence) {
  return `${Math.round(Number(confidence || 0) * 100)}%`;
}

export function formatTime(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleString('zh-CN', { hour12: false });
}

/** The clauses shown at once, and the rest that fold away. */
export function splitClauses(clauses, shown = CLAUSES_SHOWN) {
  const all = clauses || [];
  return { shown: all.slice(0, shown), rest: all.slice(shown) };
}

/** What the reply still needs from the merchant, or '' when nothing is missing. */
export function missingNote(missing) {
  if (!missing || !missing.length) return '';
  return `还缺：${missing.map((m) => m.label).join('、')}。请先向商家确认，或在上方选择后重新生成。`;
}

export function reasonLabel(reason) {
  return REASONS[reason] || reason;
}

/** A group's other phrasings: its examples without the text it is listed by. */
export function otherExamples(group) {
  return group.examples.filter((text) => text !== group.text);
}

/** The line above the unanswered list. */
export function unansweredStatus(data) {
  return data.groups.length ? `共 ${data.messages} 条消息，${data.total_groups} 组` : '暂无需要改进的问题。';
}
