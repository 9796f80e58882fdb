// Where the settings page gets the staff token from, never the query string (it would end up in server logs and
// Referer headers): the URL fragment `#token=…` (removed from the address bar at once), a postMessage from the
// embedding CRM `{ type: 'icloud-settings:token', token }`, or the token form. Kept in sessionStorage for reloads.
const storageKey = 'icloud-settings-token'

function fromFragment(): string | null {
  const params = new URLSearchParams(location.hash.slice(1))
  const token = params.get('token')
  if (token) history.replaceState(null, '', location.pathname)
  return token
}

export function initialToken(): string | null {
  const token = fromFragment() ?? sessionStorage.getItem(storageKey)
  if (token) sessionStorage.setItem(storageKey, token)
  return token
}

export function saveToken(token: string | null) {
  if (token) sessionStorage.setItem(storageKey, token)
  else sessionStorage.removeItem(storageKey)
}

/** Calls `onToken` with each token the parent window posts; tells the parent we are ready for one. */
export function listenForParentToken(onToken: (token: string) => void) {
  if (window.parent === window) return
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    if (event.source !== window.parent) return
    const data = event.data as { type?: unknown; token?: unknown } | null
    if (data?.type === 'icloud-settings:token' && typeof data.token === 'string' && data.token) onToken(data.token)
  })
  window.parent.postMessage({ type: 'icloud-settings:ready' }, '*')
}

/** Tells the embedding CRM that its token no longer works (it may post a fresh one). */
export function notifyParentTokenRejected() {
  if (window.parent !== window) window.parent.postMessage({ type: 'icloud-settings:token-rejected' }, '*')
}
