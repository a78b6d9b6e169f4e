// DOM helpers shared by the widget and the console. Text always goes in as text nodes:
// nothing a merchant or the server sends is ever parsed as HTML.

/** An element with attributes, listeners (onclick: fn) and children (nodes or strings). */
export function el(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (key === 'text') node.textContent = value;
    else if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of [].concat(children)) {
    if (child !== null && child !== undefined && child !== false) node.append(child);
  }
  return node;
}

const URL_PATTERN = /https?:\/\/[^\s<>"'，。；！？、）》」】]+/g;
const TRAILING = /[.,;:!?)\]]+$/;

/** `text` as text nodes, with http(s) URLs as safe links opening in a new tab. */
export function linkify(text) {
  const source = String(text);
  const fragment = document.createDocumentFragment();
  let last = 0;
  for (const match of source.matchAll(URL_PATTERN)) {
    const url = match[0].replace(TRAILING, '');
    const href = safeHref(url);
    if (!href) continue;
    fragment.append(source.slice(last, match.index));
    fragment.append(el('a', { href, target: '_blank', rel: 'noopener noreferrer nofollow', text: url }));
    last = match.index + url.length;
  }
  fragment.append(source.slice(last));
  return fragment;
}

function safeHref(url) {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}

/** Enter sends, Shift+Enter breaks the line; never while an input method is composing. */
export function isSendKey(event) {
  return event.key === 'Enter' && !event.shiftKey && !event.isComposing && event.keyCode !== 229;
}
