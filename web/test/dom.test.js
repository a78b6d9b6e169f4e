import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import { beforeEach, describe, test } from 'node:test';
import { el, isSendKey, linkify } from '../src/dom.js';
import { installFakeDom } from './helpers/fake-dom.js';

// Node 18 has no global crypto; the widget's browsers and Node 20+ do.
if (!globalThis.crypto) globalThis.crypto = webcrypto;

let document;
beforeEach(() => {
  document = installFakeDom();
});

/** The fragment's children as [kind, content] pairs: ['text', '...'] or ['a', href, text]. */
function parts(fragment) {
  return fragment.childNodes
    .map((node) => (node.nodeType === 3 ? ['text', node.data] : [node.tagName.toLowerCase(), node.getAttribute('href'), node.textContent]))
    .filter((part) => !(part[0] === 'text' && part[1] === ''));
}

describe('linkify', () => {
  test('markup in merchant text stays text: no element but the link is made', () => {
    const text = '<img src=x onerror="alert(1)"><script>alert(2)</script> 见 https://school.jinritemai.com/doc?id=1';
    const fragment = linkify(text);
    assert.deepEqual(parts(fragment), [
      ['text', '<img src=x onerror="alert(1)"><script>alert(2)</script> 见 '],
      ['a', 'https://school.jinritemai.com/doc?id=1', 'https://school.jinritemai.com/doc?id=1'],
    ]);
    assert.deepEqual(document.created.map((node) => node.tagName), ['A']);
    assert.equal(fragment.textContent, text);
  });

  test('text without a URL is one text node, and only http(s) is ever linked', () => {
    for (const text of ['javascript:alert(1)', 'data:text/html,<b>x</b>', 'ftp://example.com/file', '没有链接的回答']) {
      document.created.length = 0;
      const fragment = linkify(text);
      assert.deepEqual(parts(fragment), [['text', text]], text);
      assert.equal(document.created.length, 0, text);
    }
  });

  test('links open in a new tab without the opener or a referrer', () => {
    const [link] = linkify('https://example.com/a').childNodes.filter((node) => node.nodeType === 1);
    assert.equal(link.getAttribute('target'), '_blank');
    assert.equal(link.getAttribute('rel'), 'noopener noreferrer nofollow');
  });

  test('trailing punctuation and Chinese punctuation end a URL and stay text', () => {
    assert.deepEqual(parts(linkify('see https://example.com/a.')), [
      ['text', 'see '], ['a', 'https://example.com/a', 'https://example.com/a'], ['text', '.'],
    ]);
    assert.deepEqual(parts(linkify('规则见https://example.com/rule，谢谢。')), [
      ['text', '规则见'], ['a', 'https://example.com/rule', 'https://example.com/rule'], ['text', '，谢谢。'],
    ]);
    assert.deepEqual(parts(linkify('(https://example.com/x)')), [
      ['text', '('], ['a', 'https://example.com/x', 'https://example.com/x'], ['text', ')'],
    ]);
  });

  test('a quote ends a URL, so an attribute cannot be smuggled into the href', () => {
    const fragment = linkify('https://example.com/"onmouseover="alert(1)');
    assert.deepEqual(parts(fragment), [
      ['a', 'https://example.com/', 'https://example.com/'], ['text', '"onmouseover="alert(1)'],
    ]);
  });

  test('several URLs each become a link, the text between them kept', () => {
    const text = 'A http://a.example/1 B https://b.example/2 C';
    const fragment = linkify(text);
    assert.deepEqual(parts(fragment), [
      ['text', 'A '], ['a', 'http://a.example/1', 'http://a.example/1'],
      ['text', ' B '], ['a', 'https://b.example/2', 'https://b.example/2'], ['text', ' C'],
    ]);
    assert.equal(fragment.textContent, text);
  });
});

describe('el', () => {
  test('text, class, listeners, boolean and skipped attributes', () => {
    let clicked = 0;
    const node = el('button', {
      text: '<b>发送</b>', class: 'send', onclick: () => { clicked += 1; },
      disabled: true, hidden: false, title: null, 'aria-label': undefined, 'data-testid': 'chat-send', rows: 1,
    });
    assert.equal(node.tagName, 'BUTTON');
    assert.deepEqual(node.childNodes.map((child) => child.nodeType), [3]);
    assert.equal(node.textContent, '<b>发送</b>');
    assert.equal(node.className, 'send');
    assert.equal(node.getAttribute('disabled'), '');
    assert.equal(node.getAttribute('data-testid'), 'chat-send');
    assert.equal(node.getAttribute('rows'), '1');
    for (const skipped of ['hidden', 'title', 'aria-label', 'onclick', 'text', 'class']) {
      assert.equal(node.hasAttribute(skipped), false, skipped);
    }
    node.dispatch('click');
    assert.equal(clicked, 1);
  });

  test('children: nodes and strings kept in order, null/undefined/false dropped', () => {
    const child = el('i');
    const node = el('div', {}, [null, 'a', child, undefined, false, 'b']);
    assert.deepEqual(node.childNodes.map((n) => (n.nodeType === 3 ? n.data : n.tagName)), ['a', 'I', 'b']);
    assert.deepEqual(el('p', {}, 'one').childNodes.map((n) => n.data), ['one']);
  });
});

describe('isSendKey', () => {
  test('Enter sends', () => {
    assert.equal(isSendKey({ key: 'Enter', shiftKey: false, isComposing: false, keyCode: 13 }), true);
  });

  test('Shift+Enter breaks the line instead', () => {
    assert.equal(isSendKey({ key: 'Enter', shiftKey: true, isComposing: false, keyCode: 13 }), false);
  });

  test('Enter that confirms an input method composition does not send', () => {
    assert.equal(isSendKey({ key: 'Enter', shiftKey: false, isComposing: true, keyCode: 13 }), false);
    // Browsers that end the composition first still report keyCode 229 for that Enter.
    assert.equal(isSendKey({ key: 'Enter', shiftKey: false, isComposing: false, keyCode: 229 }), false);
  });

  test('other keys do not send', () => {
    assert.equal(isSendKey({ key: 'a', shiftKey: false, isComposing: false, keyCode: 65 }), false);
  });
});
