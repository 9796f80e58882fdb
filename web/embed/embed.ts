// The embed snippet: <script src="https://…/embed.js" data-calendar="subaccount-slug/calendar-slug" async></script>
// inserts the booking widget in an iframe right where the script tag is, and keeps the iframe as tall as the widget
// (the widget posts its height). No imports: this file is served as a classic script.
;(() => {
  const script = document.currentScript as HTMLScriptElement | null
  const calendar = script?.dataset.calendar?.trim() ?? ''
  const [subaccount, slug, ...rest] = calendar.split('/')
  if (!script || !subaccount || !slug || rest.length > 0) {
    console.error('embed.js: set data-calendar="<subaccount-slug>/<calendar-slug>" on the script tag.')
    return
  }
  const src = new URL(`/book/${encodeURIComponent(subaccount)}/${encodeURIComponent(slug)}`, script.src)
  src.searchParams.set('embed', '1')
  const iframe = document.createElement('iframe')
  iframe.src = src.href
  iframe.title = script.dataset.title ?? 'Book an appointment'
  iframe.loading = 'lazy'
  iframe.style.cssText = 'width:100%;border:0;display:block;min-height:480px;height:640px;color-scheme:light'
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    if (event.source !== iframe.contentWindow || event.origin !== src.origin) return
    const data = event.data as { type?: unknown; height?: unknown } | null
    if (data?.type === 'booking-widget:height' && typeof data.height === 'number' && data.height > 0) {
      iframe.style.height = `${Math.min(Math.ceil(data.height), 4000)}px`
      iframe.style.minHeight = '0'
    }
  })
  script.after(iframe)
})()
