// The widget's settings, read from its own <script> tag (see widget.js for the embed).

/**
 * The widget's config from the script's data-* attributes.
 * @param {HTMLScriptElement|null} script  document.currentScript (null when it cannot be known)
 * @param {{href: string, origin: string}} page  the page's location
 */
export function readConfig(script, page) {
  const data = (script && script.dataset) || {};
  const scriptOrigin = script && script.src ? new URL(script.src, page.href).origin : page.origin;
  const metadata = {};
  if (data.shopType) metadata.shop_type = data.shopType;
  if (data.accountRole) metadata.account_role = data.accountRole;
  let server = scriptOrigin;
  try {
    server = new URL(data.server || scriptOrigin, page.href).origin;
  } catch {
    /* a malformed data-server: the script's own origin serves the assistant too */
  }
  return {
    server,
    metadata: Object.keys(metadata).length ? metadata : undefined,
    open: data.open === 'true',
    socketPath: data.socketPath || '/socket.io',
    restPath: data.restPath || '/webhooks/rest/webhook',
    sessionUrl: resolved(data.sessionUrl, page.href) || `${server}/web/session`,
  };
}

/** `url` resolved against the page, or null when absent or malformed. */
function resolved(url, base) {
  try {
    return url ? new URL(url, base).href : null;
  } catch {
    return null;
  }
}
