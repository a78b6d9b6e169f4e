// The agent answer console (web/pages/console.html): the desk of conversations waiting
// for a person (desk.js), suggested replies from the same engine as the chat, and the
// maintainer view of what the assistant could not answer, and the dashboard (stats.js).
// The token is asked once and kept in sessionStorage; labels come from the server.
import {
  CLAUSES_SHOWN, Unauthorized, formatTime, missingNote, otherExamples, percent, reasonLabel, replyError,
  splitClauses, suggestBody, unansweredStatus,
} from './assist.js';
import uPlot from 'uplot';
import { Desk, chosenFacts, factMenus } from './desk.js';
import { el, linkify } from './dom.js';
import { FIGURES, chartData, dayLabel, dayRows, totalsLine } from './stats.js';

const TOKEN_KEY = 'assistant-console-token';

const $ = (id) => document.getElementById(id);

/** GET or POST a route under /assist with the token; JSON in and out. */
async function call(method, path, body) {
  const token = sessionStorage.getItem(TOKEN_KEY) || '';
  const reply = await fetch(path, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const data = await reply.json().catch(() => ({}));
  const error = replyError(reply, data);
  if (error) throw error;
  return data;
}

// --- token -----------------------------------------------------------------------

const desk = new Desk({
  call,
  token: () => sessionStorage.getItem(TOKEN_KEY) || '',
  onUnauthorized: (error) => askForToken(error.message),
  vocabulary: () => vocabulary,
});

function askForToken(message) {
  desk.stop();
  sessionStorage.removeItem(TOKEN_KEY);
  $('workspace').hidden = true;
  $('logout').hidden = true;
  $('token-form').hidden = false;
  $('token-error').textContent = message || '';
  $('token-input').value = '';
  $('token-input').focus();
}

async function enter() {
  try {
    await loadVocabulary();
  } catch (error) {
    if (error instanceof Unauthorized) {
      askForToken(error.message);
      return;
    }
    $('ask-error').textContent = `加载选项失败：${error.message}`;
  }
  $('token-form').hidden = true;
  $('workspace').hidden = false;
  $('logout').hidden = false;
  $('question').focus();
  desk.start();
  loadUnanswered();
  loadStats();
}

// --- suggestions -----------------------------------------------------------------

let vocabulary = { inputs: [], questions: [] }; // the console's menus

async function loadVocabulary() {
  vocabulary = await call('GET', '/assist/vocabulary');
  const { inputs } = vocabulary;
  const profile = $('profile');
  profile.replaceChildren();
  for (const input of inputs) {
    const id = `profile-${input.name}`;
    const select = el('select', { id, name: input.name, 'data-testid': `assist-${input.name}` }, [
      el('option', { value: '', text: '不指定（按商家原话）' }),
      ...input.values.map((value) => el('option', { value: value.id, text: value.label })),
    ]);
    profile.append(el('div', { class: 'field' }, [el('label', { for: id, text: input.label }), select]));
  }
}

async function suggest(event) {
  event.preventDefault();
  const text = $('question').value.trim();
  $('ask-error').textContent = '';
  if (!text) {
    $('ask-error').textContent = '请先粘贴商家的问题。';
    return;
  }
  const body = suggestBody(text, $('profile').querySelectorAll('select'));
  const submit = $('ask-form').querySelector('[type=submit]');
  submit.disabled = true;
  try {
    showResult(await call('POST', '/assist/suggest', body));
  } catch (error) {
    if (error instanceof Unauthorized) {
      askForToken(error.message);
      return;
    }
    $('ask-error').textContent = `生成失败：${error.message}`;
  } finally {
    submit.disabled = false;
  }
}

function showResult(result) {
  const box = $('result');
  box.replaceChildren();
  box.hidden = false;

  const intent = el('p', { class: 'intent' }, [
    el('span', { class: 'label', text: '问题类型' }),
    el('strong', { 'data-testid': 'assist-intent', text: `${result.intent.title}（置信度 ${percent(result.intent.confidence)}）` }),
  ]);
  const facts = Object.values(result.facts || {});
  const factList = facts.length
    ? el('p', { class: 'facts' }, [
      el('span', { class: 'label', text: '识别到的情况' }),
      ...facts.map((fact) => el('span', { class: 'chip', text: `${fact.input}：${fact.label}` })),
    ])
    : null;

  const reply = el('textarea', { id: 'reply', class: 'reply', rows: '8', 'data-testid': 'assist-reply', 'aria-label': '建议答复（可编辑）' });
  reply.value = result.reply.text;
  const copyStatus = el('span', { class: 'muted', role: 'status' });
  const copy = el('button', {
    type: 'button', class: 'primary', 'data-testid': 'assist-copy', text: '复制答复',
    onclick: () => copyText(reply, copyStatus),
  });

  box.append(
    intent,
    factList || '',
    el('label', { for: 'reply', text: '建议答复（可修改后复制）' }),
    reply,
    el('div', { class: 'row' }, [copy, copyStatus]),
  );
  const missing = missingNote(result.reply.missing);
  if (missing) box.append(el('p', { class: 'warning', text: missing }));
  if (result.reply.details) {
    box.append(el('details', {}, [el('summary', { text: '详细说明（含原文）' }), el('div', { class: 'pre' }, linkify(result.reply.details))]));
  }
  box.append(clauseList(result.clauses));
  if (result.alternatives && result.alternatives.length) {
    box.append(el('h3', { text: '其他可能的问题类型' }));
    for (const alternative of result.alternatives) box.append(alternativeCard(alternative, reply));
  }
}

function clauseList(clauses) {
  const item = (clause) => el('li', {}, [el('strong', { text: clause.id }), el('q', { text: clause.quote })]);
  const { shown, rest } = splitClauses(clauses);
  const list = el('ol', { class: 'clauses' }, shown.map(item));
  const more = rest.length
    ? el('details', {}, [
      el('summary', { text: `其余 ${rest.length} 条依据` }),
      el('ol', { class: 'clauses', start: String(CLAUSES_SHOWN + 1) }, rest.map(item)),
    ])
    : null;
  return el('div', { 'data-testid': 'assist-clauses' }, [
    el('h3', { text: '依据的平台说明原文' }),
    shown.length ? list : el('p', { class: 'muted', text: '（无）' }),
    more,
  ]);
}

function alternativeCard(alternative, reply) {
  return el('article', { class: 'alternative', 'data-testid': 'assist-alternative' }, [
    el('p', {}, [el('strong', { text: alternative.title }), el('span', { class: 'muted', text: `  置信度 ${percent(alternative.confidence)}` })]),
    el('div', { class: 'pre', text: alternative.reply.text }),
    el('button', {
      type: 'button', text: '用这个答复',
      onclick: () => {
        reply.value = alternative.reply.text;
        reply.focus();
      },
    }),
  ]);
}

async function copyText(textarea, status) {
  try {
    await navigator.clipboard.writeText(textarea.value);
  } catch {
    textarea.select();
    if (!document.execCommand('copy')) {
      status.textContent = '无法自动复制，请按 Ctrl+C。';
      return;
    }
  }
  status.textContent = '已复制';
}

// --- the maintainer view -------------------------------------------------------

/** GET `path`, saying so in `status` meanwhile; null (and why, in `status`) when it failed. */
async function load(path, status) {
  status.textContent = '加载中…';
  try {
    return await call('GET', path);
  } catch (error) {
    if (error instanceof Unauthorized) askForToken(error.message);
    else status.textContent = `加载失败：${error.message}`;
    return null;
  }
}

async function loadUnanswered() {
  const status = $('unanswered-status');
  const data = await load('/assist/unanswered', status);
  if (!data) return;
  const list = $('unanswered-list');
  list.replaceChildren(...data.groups.map(groupItem));
  status.textContent = unansweredStatus(data);
}

function groupItem(group) {
  const reasons = Object.entries(group.reasons).map(([reason, count]) => el('span', { class: `chip ${reason}`, text: `${reasonLabel(reason)} ${count}` }));
  const others = otherExamples(group);
  return el('li', { class: 'group', 'data-testid': 'unanswered-group' }, [
    el('div', { class: 'row spread' }, [
      el('span', { class: 'group-text', 'data-testid': 'unanswered-text', text: group.text }),
      el('span', { class: 'count', 'aria-label': `${group.count} 次`, text: `×${group.count}` }),
    ]),
    el('div', { class: 'meta' }, [...reasons, el('time', { datetime: group.last_seen, text: `最近：${formatTime(group.last_seen)}` })]),
    others.length ? el('p', { class: 'examples muted', text: `相近说法：${others.join(' / ')}` }) : null,
    showLabel(el('div', { class: 'label-area', 'data-testid': 'label-area' }), group),
  ]);
}

// --- teaching: a group labelled with what it should have been understood as ----------

/** The group's label and its undo, or the button that opens the choices. */
function showLabel(area, group) {
  if (group.label) {
    const { label } = group;
    area.replaceChildren(
      el('span', { class: 'chip labelled', 'data-testid': 'label-shown', text: `已标注：${label.title}` }),
      el('span', { class: 'muted', text: ` ${label.by} · ${formatTime(new Date(label.at * 1000).toISOString())}${label.exported ? ' · 已导出' : ''}` }),
      el('button', { type: 'button', 'data-testid': 'label-undo', text: '撤销', onclick: () => undoLabel(area, group) }),
    );
  } else {
    area.replaceChildren(el('button', { type: 'button', 'data-testid': 'label-open', text: '标注', onclick: () => openChoices(area, group) }));
  }
  return area;
}

/** The NLU's best guesses as buttons, every other label in a menu, the facts to add. */
async function openChoices(area, group) {
  let data;
  try {
    data = await call('GET', `/assist/unanswered/${group.key}/choices`);
  } catch (error) {
    if (error instanceof Unauthorized) askForToken(error.message);
    else area.append(el('span', { class: 'error', role: 'alert', text: `加载失败：${error.message}` }));
    return;
  }
  const status = el('p', { class: 'error', role: 'alert', 'data-testid': 'label-error' });
  const facts = factMenus(vocabulary.inputs);
  const choose = (intent) => saveLabel(area, group, intent, facts, status);
  const other = el('select', { 'data-testid': 'label-other', 'aria-label': '其他问题类型' }, [
    el('option', { value: '', text: '其他问题类型…' }),
    ...data.choices.map((choice) => el('option', { value: choice.intent, text: choice.title })),
  ]);
  area.replaceChildren(
    el('div', { class: 'guesses' }, [
      el('span', { class: 'muted', text: data.guesses.length ? '助手的猜测：' : '助手没有把握。' }),
      ...data.guesses.map((guess) => el('button', {
        type: 'button', 'data-testid': 'label-guess', text: `${guess.title} ${percent(guess.confidence)}`, onclick: () => choose(guess.intent),
      })),
      el('button', { type: 'button', 'data-testid': 'label-not-covered', text: '规则相关但说明未覆盖', onclick: () => choose('ask_beyond_source') }),
      el('button', { type: 'button', 'data-testid': 'label-out-of-scope', text: '不属于规则范围', onclick: () => choose('out_of_scope') }),
    ]),
    el('div', { class: 'row' }, [other, el('button', { type: 'button', text: '确定', onclick: () => other.value && choose(other.value) }), ...facts]),
    status,
  );
}

async function saveLabel(area, group, intent, facts, status) {
  try {
    const { label } = await call('PUT', `/assist/unanswered/${group.key}/label`, { intent, facts: chosenFacts(facts) });
    showLabel(area, Object.assign(group, { label }));
  } catch (error) {
    if (error instanceof Unauthorized) askForToken(error.message);
    else status.textContent = `未能标注：${error.message}`;
  }
}

async function undoLabel(area, group) {
  try {
    await call('DELETE', `/assist/unanswered/${group.key}/label`);
    showLabel(area, Object.assign(group, { label: null }));
  } catch (error) {
    if (error instanceof Unauthorized) askForToken(error.message);
    else area.append(el('span', { class: 'error', role: 'alert', text: `未能撤销：${error.message}` }));
  }
}

// --- the dashboard -----------------------------------------------------------------

let chart = null;

async function loadStats() {
  const totals = $('stats-totals');
  const data = await load(`/assist/stats?days=${$('stats-days').value}`, totals);
  if (!data) return;
  totals.textContent = totalsLine(data);
  drawChart(data);
  $('stats-questions').replaceChildren(...(data.questions.length
    ? data.questions.map((q) => el('li', {}, [el('span', { text: q.title }), el('span', { class: 'count', text: `×${q.count}` })]))
    : [el('li', { class: 'muted', text: '这段时间还没有商家提问。' })]));
  $('stats-days-body').replaceChildren(...dayRows(data).map((cells) => el('tr', {}, cells.map((cell, i) => el(i ? 'td' : 'th', { text: String(cell) })))));
}

/** The days' figures as lines, one per figure, as wide as the card. */
function drawChart(data) {
  const box = $('stats-chart');
  if (chart) chart.destroy();
  const labels = data.days.map((day) => dayLabel(day.day));
  chart = new uPlot({
    width: Math.max(240, box.clientWidth),
    height: 240,
    scales: { x: { time: false } },
    axes: [{ values: (_, splits) => splits.map((i) => labels[i] ?? '') }, {}],
    series: [{ label: '日期', value: (_, i) => labels[i] ?? '' }, ...FIGURES.map((f) => ({ label: f.label, stroke: f.color, width: 2 }))],
  }, chartData(data), box);
}

// --- wiring ------------------------------------------------------------------------

function start() {
  $('token-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const token = $('token-input').value.trim();
    if (!token) return;
    sessionStorage.setItem(TOKEN_KEY, token);
    enter();
  });
  $('logout').addEventListener('click', () => askForToken(''));
  $('ask-form').addEventListener('submit', suggest);
  $('question').addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) suggest(event);
  });
  $('refresh').addEventListener('click', loadUnanswered);
  $('stats-days').addEventListener('change', loadStats);
  window.addEventListener('resize', () => chart && chart.setSize({ width: Math.max(240, $('stats-chart').clientWidth), height: 240 }));
  if (sessionStorage.getItem(TOKEN_KEY)) enter();
  else askForToken('');
}

start();
