// The few DOM calls dom.js makes, recorded, for Node: createElement, createDocumentFragment,
// append, setAttribute, addEventListener, textContent and className. Anything that would
// parse markup (innerHTML, outerHTML, insertAdjacentHTML) throws, so a test fails if it is used.

class FakeText {
  constructor(data) {
    this.nodeType = 3;
    this.data = data;
  }

  get textContent() {
    return this.data;
  }
}

function refuseMarkup() {
  throw new Error('markup was parsed: text must go in as text nodes');
}

class FakeParent {
  constructor() {
    this.childNodes = [];
  }

  append(...nodes) {
    for (const node of nodes) this.childNodes.push(typeof node === 'string' ? new FakeText(node) : node);
  }

  get textContent() {
    return this.childNodes.map((node) => node.textContent).join('');
  }

  set textContent(value) {
    this.childNodes = [new FakeText(String(value))];
  }

  set innerHTML(_value) { refuseMarkup(); }
  set outerHTML(_value) { refuseMarkup(); }
  insertAdjacentHTML() { refuseMarkup(); }
}

class FakeFragment extends FakeParent {
  constructor() {
    super();
    this.nodeType = 11;
  }
}

class FakeElement extends FakeParent {
  constructor(tag) {
    super();
    this.nodeType = 1;
    this.tagName = tag.toUpperCase();
    this.attributes = new Map();
    this.listeners = new Map();
    this.className = '';
  }

  setAttribute(name, value) {
    this.attributes.set(name, String(value));
  }

  getAttribute(name) {
    return this.attributes.has(name) ? this.attributes.get(name) : null;
  }

  hasAttribute(name) {
    return this.attributes.has(name);
  }

  addEventListener(type, listener) {
    if (!this.listeners.has(type)) this.listeners.set(type, []);
    this.listeners.get(type).push(listener);
  }

  dispatch(type, event = {}) {
    for (const listener of this.listeners.get(type) || []) listener(event);
  }
}

/** Puts a fake `document` on globalThis; returns it, with `created` listing every element made. */
export function installFakeDom() {
  const created = [];
  const document = {
    created,
    createElement(tag) {
      const node = new FakeElement(tag);
      created.push(node);
      return node;
    },
    createDocumentFragment() {
      return new FakeFragment();
    },
  };
  globalThis.document = document;
  return document;
}
