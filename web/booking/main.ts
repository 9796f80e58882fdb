// Entry of /book/<subaccount>/<calendar> (booking widget) and /book/manage/<token> (manage page).
import { h, render } from '../shared/dom.ts'
import { messagePage } from './parts.ts'
import { reportHeightToParent } from '../shared/embedding.ts'
import { PublicCalendarDocument } from '../generated/graphql.ts'
import { publicRequest } from './api.ts'
import { bookingPage } from './bookingPage.ts'
import { managePage } from './managePage.ts'

const root = document.getElementById('app')!
const embedded = new URLSearchParams(location.search).has('embed')
document.documentElement.classList.toggle('embedded', embedded)
reportHeightToParent('booking-widget:height')

const notFound = () => messagePage(root, 'This booking page does not exist', 'Check the link you were given.')

async function start() {
  const [, section, first, second] = location.pathname.split('/').map(decodeURIComponent)
  if (section !== 'book' || !first) return notFound()
  if (first === 'manage' && second) return managePage(root, second)
  if (!second) return notFound()
  const calendar = (await publicRequest(PublicCalendarDocument, { subaccountSlug: first, calendarSlug: second }))
    .publicCalendar
  if (!calendar) return notFound()
  document.title = `${calendar.name} · ${calendar.subaccountName}`
  bookingPage(root, calendar)
}

start().catch((error: Error) => render(root, h('div', { class: 'notice error', role: 'alert' }, error.message)))
