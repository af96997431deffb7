// JSON API calls. Failures become ApiError carrying the server's envelope
// ({code, message, cause}) so the UI can show the server's human, actionable message.
export class ApiError extends Error {
  constructor(status, code, message, cause) {
    super(message);
    this.status = status;
    this.code = code;
    this.serverCause = cause;
  }

  /** The part of the code before the colon: rate_limit, offline, bad_request, ... */
  get type() {
    return String(this.code).split(':')[0];
  }
}

const FALLBACK_MESSAGES = {
  400: 'The request was not accepted. Check what you entered and try again.',
  401: 'Your session has ended. Reload the page to continue.',
  403: 'You do not have access to this.',
  404: 'This was not found. It may have been deleted.',
  409: 'This already exists.',
  429: 'Too many requests. Wait a moment and try again.',
  503: 'The service is unavailable right now. Try again in a moment.',
};

export async function toApiError(response) {
  let envelope = null;
  try {
    envelope = await response.json();
  } catch {
    envelope = null;
  }
  const status = response.status;
  const code = envelope?.code ?? `${status === 429 ? 'rate_limit' : status >= 500 ? 'offline' : 'bad_request'}:api`;
  const message = envelope?.message ?? FALLBACK_MESSAGES[status] ?? `The server answered with an error (${status}). Try again in a moment.`;
  return new ApiError(status, code, message, envelope?.cause);
}

export function offlineError() {
  return new ApiError(0, 'offline:network', 'Could not reach the server. Check your connection and try again.');
}

/** A lost session on an API call: reload once so the server signs us in as a guest again. */
export function handleUnauthorized() {
  const last = Number(sessionStorage.getItem('reloadedFor401') || 0);
  if (Date.now() - last > 30_000) {
    sessionStorage.setItem('reloadedFor401', String(Date.now()));
    window.location.reload();
  }
}

/** `quiet401`: a visitor without a session (reading a shared chat) just gets the error, no reload. */
export async function api(path, { method = 'GET', body, signal, quiet401 = false } = {}) {
  const init = { method, signal, credentials: 'same-origin', headers: { accept: 'application/json' } };
  if (body !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    if (error.name === 'AbortError') throw error;
    throw offlineError();
  }
  if (!response.ok) {
    const error = await toApiError(response);
    if (response.status === 401 && !quiet401 && !path.startsWith('/api/auth/')) handleUnauthorized();
    throw error;
  }
  if (response.status === 204) return null;
  const type = response.headers.get('content-type') || '';
  return type.includes('json') ? response.json() : null;
}
