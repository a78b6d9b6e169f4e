// The merchant's session: the conversation id and the signed token that lets the widget
// use it, from the session issuer (data-session-url: the host page's own; by default the
// assistant's demo issuer, POST /web/session). A saved token is renewed each time the
// widget opens; when the issuer no longer accepts it, a new conversation starts.

const LONGEST_ID = 128; // characters of a conversation id, as the server allows

/** A saved session as {id, token}, or null when what is saved is not one. */
export function cleanSession(saved) {
  if (!saved || typeof saved !== 'object') return null;
  const { id, token } = saved;
  const valid = typeof id === 'string' && id.length > 0 && id.length <= LONGEST_ID && typeof token === 'string' && token.length > 0;
  return valid ? { id, token } : null;
}

/**
 * The session to talk in: `saved` renewed, or a new one. Rejects when the issuer cannot be
 * reached and nothing is saved.
 * @param {object} options
 * @param {string} options.url  the session issuer
 * @param {{id: string, token: string}|null} options.saved  the session the widget kept
 * @param {object} [options.metadata]  what the page knows of the merchant, for a new session
 * @param {typeof fetch} [options.fetcher]
 */
export async function openSession({ url, saved, metadata, fetcher = fetch }) {
  if (saved) {
    const renewed = await ask(fetcher, url, { token: saved.token });
    if (renewed) return renewed;
    if (renewed === undefined) return saved; // the issuer is unreachable: the saved token may still do
  }
  const fresh = await ask(fetcher, url, { metadata });
  if (!fresh) throw new Error('the session issuer gave no session');
  return fresh;
}

/** The issuer's session; null when it refused, undefined when it could not be reached. */
async function ask(fetcher, url, { token, metadata }) {
  const headers = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  let reply;
  try {
    reply = await fetcher(url, { method: 'POST', headers, body: JSON.stringify(metadata ? { metadata } : {}) });
  } catch {
    return undefined;
  }
  if (!reply.ok) return reply.status >= 500 ? undefined : null;
  const data = await reply.json().catch(() => null);
  return cleanSession(data && { id: data.session_id, token: data.token });
}
