// Talking to the page that embeds us in an iframe: our height (so the iframe has no scroll bar) and, for the
// settings page, the staff token the CRM hands over.

/** Posts `{ type, height }` to the parent whenever the document's height changes. */
export function reportHeightToParent(type: string) {
  if (window.parent === window) return
  let last = 0
  const post = () => {
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height)
    if (height === last) return
    last = height
    // The height is not a secret: any embedder may learn it.
    window.parent.postMessage({ type, height }, '*')
  }
  new ResizeObserver(post).observe(document.documentElement)
  post()
}

export const formatDateTime = (iso: string, timeZone?: string) =>
  new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(iso))
