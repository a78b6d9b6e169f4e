// What the widget keeps between page loads: the session (conversation id and token) and the transcript.
import { cleanSession } from './session.js';

/**
 * JSON in a Storage that may be unavailable (privacy modes): then nothing is kept.
 * @param {() => Storage} backend  returns the storage (reading window.localStorage itself may throw)
 */
export function createStorage(backend) {
  return {
    get(key, fallback) {
      try {
        const raw = backend().getItem(key);
        return raw === null ? fallback : JSON.parse(raw);
      } catch {
        return fallback;
      }
    },
    set(key, value) {
      try {
        backend().setItem(key, JSON.stringify(value));
      } catch {
        /* storage full or disabled: the conversation still works */
      }
    },
  };
}

/** The storage keys of the conversation with `server`. */
export function storageKeys(server) {
  return { session: `dy-assistant:${server}:session`, transcript: `dy-assistant:${server}:transcript` };
}

/** The saved transcript's entries that can be shown; anything else saved is dropped. */
export function cleanTranscript(saved) {
  return Array.isArray(saved) ? saved.filter((e) => e && typeof e.text === 'string') : [];
}

/**
 * The saved session ({id, token}) and its transcript; no session and an empty transcript
 * when no valid session is saved.
 * @param {{get: Function, set: Function}} storage  from createStorage
 * @param {{session: string, transcript: string}} keys  from storageKeys
 */
export function restoreSession(storage, keys) {
  const session = cleanSession(storage.get(keys.session, null));
  return { session, transcript: session ? cleanTranscript(storage.get(keys.transcript, [])) : [] };
}

/** Appends `entry`, dropping the oldest entries past `max`; changes `transcript` in place. */
export function appendEntry(transcript, entry, max) {
  transcript.push(entry);
  if (transcript.length > max) transcript.splice(0, transcript.length - max);
  return transcript;
}

/** The index the server knows the next bot reply by: bot replies so far, the welcome not counted. */
export function nextBotIndex(transcript) {
  return transcript.filter((e) => e.role === 'bot' && !e.welcome).length;
}

/** The number of the latest agent reply in the transcript (0: none), so that none is shown twice. */
export function lastReplyId(transcript) {
  return transcript.reduce((latest, e) => (e.role === 'agent' && Number.isInteger(e.replyId) ? Math.max(latest, e.replyId) : latest), 0);
}

/** How an agent's reply is labelled: from a person, by name. */
export function agentLabel(name) {
  return name ? `人工客服 · ${name}` : '人工客服';
}

/** Whether a person is answering: the latest message not from the merchant is an agent's. */
export function agentIsTalking(transcript) {
  const latest = transcript.findLast((e) => e.role === 'bot' || e.role === 'agent');
  return latest?.role === 'agent';
}
