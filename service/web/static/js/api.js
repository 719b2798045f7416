// The HTTP API, with the session cookie: every write carries the session's CSRF token.
import { t } from './i18n.js';

let csrf = null;
let onSignedOut = () => {};

export function setCsrf(token) { csrf = token; }
export function onSessionEnd(callback) { onSignedOut = callback; }

export class ApiError extends Error {
  constructor(status, body, headers) {
    super(body?.detail || `HTTP ${status}`);
    this.status = status;
    this.body = body || {};
    this.headers = headers;
  }
}

export async function api(path, { method = 'GET', body, headers = {} } = {}) {
  const options = { method, headers: { Accept: 'application/json', ...headers }, credentials: 'same-origin' };
  if (!['GET', 'HEAD'].includes(method) && csrf) options.headers['X-CSRF-Token'] = csrf;
  if (body instanceof Blob || body instanceof ArrayBuffer) {
    options.body = body;
  } else if (body !== undefined) {
    options.headers['Content-Type'] = 'application/json';
    options.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, options);
  } catch {
    throw new ApiError(0, { detail: t('error.network') });
  }
  if (response.status === 401 && !path.startsWith('/session')) onSignedOut();
  if (!response.ok) {
    let data = {};
    try { data = await response.json(); } catch { /* not JSON */ }
    throw new ApiError(response.status, data, response.headers);
  }
  if (response.status === 204) return null;
  const data = await response.json();
  if (Array.isArray(data)) return data;
  return { ...data, _status: response.status, _etag: response.headers.get('ETag') };
}

export const query = (params) => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, value);
  }
  const text = search.toString();
  return text ? `?${text}` : '';
};
