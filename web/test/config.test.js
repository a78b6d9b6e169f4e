import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readConfig } from '../src/config.js';

const page = { href: 'https://shop.example.com/workbench/window?tab=1', origin: 'https://shop.example.com' };
const script = (dataset = {}, src = 'https://assistant.example.cn:8443/web/static/widget.js') => ({ src, dataset });

describe('readConfig: the server', () => {
  test('defaults to the origin the script was loaded from', () => {
    assert.equal(readConfig(script(), page).server, 'https://assistant.example.cn:8443');
  });

  test('data-server is used, reduced to its origin', () => {
    assert.equal(readConfig(script({ server: 'http://localhost:5005/some/path' }), page).server, 'http://localhost:5005');
  });

  test('a relative data-server resolves against the page', () => {
    assert.equal(readConfig(script({ server: '/rasa' }), page).server, 'https://shop.example.com');
  });

  test('a malformed data-server falls back to the script origin', () => {
    for (const server of ['http://', 'https://exa mple.com', 'http://[::1']) {
      assert.equal(readConfig(script({ server }), page).server, 'https://assistant.example.cn:8443', server);
    }
  });

  test('a relative script src resolves against the page', () => {
    assert.equal(readConfig(script({}, '/web/static/widget.js'), page).server, 'https://shop.example.com');
  });

  test('without a script tag (no currentScript) the page origin serves', () => {
    const config = readConfig(null, page);
    assert.equal(config.server, 'https://shop.example.com');
    assert.equal(config.metadata, undefined);
    assert.equal(config.open, false);
  });
});

describe('readConfig: metadata', () => {
  test('shop type and account role are what the demo issuer puts in a new session', () => {
    const config = readConfig(script({ shopType: '旗舰店', accountRole: '授权号' }), page);
    assert.deepEqual(config.metadata, { shop_type: '旗舰店', account_role: '授权号' });
  });

  test('only the attributes the page set are sent', () => {
    assert.deepEqual(readConfig(script({ accountRole: '官方账号' }), page).metadata, { account_role: '官方账号' });
    assert.deepEqual(readConfig(script({ shopType: '专营店', accountRole: '' }), page).metadata, { shop_type: '专营店' });
  });

  test('no metadata at all when neither is set', () => {
    assert.equal(readConfig(script(), page).metadata, undefined);
  });
});

describe('readConfig: the rest', () => {
  test('defaults', () => {
    const config = readConfig(script(), page);
    assert.equal(config.open, false);
    assert.equal(config.socketPath, '/socket.io');
    assert.equal(config.restPath, '/webhooks/rest/webhook');
    assert.equal(config.sessionUrl, 'https://assistant.example.cn:8443/web/session');
  });

  test("data-session-url names the host page's session issuer, resolved against the page", () => {
    assert.equal(readConfig(script({ sessionUrl: '/merchant/assistant-session' }), page).sessionUrl, 'https://shop.example.com/merchant/assistant-session');
    assert.equal(readConfig(script({ sessionUrl: 'http://[::1' }), page).sessionUrl, 'https://assistant.example.cn:8443/web/session');
  });

  test('data-open="true" opens the panel, anything else does not', () => {
    assert.equal(readConfig(script({ open: 'true' }), page).open, true);
    assert.equal(readConfig(script({ open: '' }), page).open, false);
    assert.equal(readConfig(script({ open: 'yes' }), page).open, false);
  });

  test('data-socket-path and data-rest-path override the channel paths', () => {
    const config = readConfig(script({ socketPath: '/rasa/socket.io', restPath: '/rasa/webhooks/rest/webhook' }), page);
    assert.equal(config.socketPath, '/rasa/socket.io');
    assert.equal(config.restPath, '/rasa/webhooks/rest/webhook');
  });
});
