// Every text a client sends is checked once, by one validator (src/graphql/inputText.ts): no NUL or other control
// characters (PostgreSQL refuses NUL), a length limit on each free-text field, e-mail addresses within RFC 5321's
// limits. A refusal is a ValidationError naming the field, and nothing is stored.
import { encodeGlobalID } from '@pothos/plugin-relay'
import { describe, expect, it } from 'vitest'
import { graphql } from '../../graphql/index.ts'
import { useTestApp, type TestApp } from '../../support/testApp.ts'
import { at, setUpCalendar, upcomingMonday, type Fixture } from '../scheduling/support.ts'

const CreateCalendar = graphql(`
  mutation InputTextCreateCalendar($input: CreateCrmCalendarInput!) {
    createCrmCalendar(input: $input) {
      __typename
      ...InputTextRefusal
    }
  }
`)

const UpdateCalendar = graphql(`
  mutation InputTextUpdateCalendar($input: UpdateCrmCalendarInput!) {
    updateCrmCalendar(input: $input) {
      __typename
      ...InputTextRefusal
    }
  }
`)

const CreateBlockedSlot = graphql(`
  mutation InputTextCreateBlockedSlot($input: CreateBlockedSlotInput!) {
    createBlockedSlot(input: $input) {
      __typename
      ...InputTextRefusal
    }
  }
`)

const Book = graphql(`
  mutation InputTextBook($input: BookAppointmentInput!) {
    bookAppointment(input: $input) {
      __typename
      ...InputTextRefusal
    }
  }
`)

graphql(`
  fragment InputTextRefusal on ValidationError {
    code
    fieldErrors {
      path
      message
    }
  }
`)

let t: TestApp
let f: Fixture
let start: string

useTestApp(async (app) => {
  t = app
  f = await setUpCalendar(t, { type: 'SERVICE' })
  start = at(upcomingMonday(), 10)
})

/** The refusal of `result` (a mutation result union) as `{ code, paths }`, for a readable comparison. */
function refusal(result: { __typename: string; code?: string; fieldErrors?: { path: string[] }[] }) {
  return { type: result.__typename, code: result.code, paths: result.fieldErrors?.map((e) => e.path.join('.')) }
}

const refused = (path: string) => ({ type: 'ValidationError', code: 'INVALID_INPUT', paths: [path] })

const contact = { name: 'Ada Lovelace', email: 'ada@example.com' }

async function storedCounts() {
  const { prisma } = t.services
  return {
    calendars: await prisma.crmCalendar.count({ where: { subaccountId: f.subaccountId } }),
    blockedSlots: await prisma.blockedSlot.count({ where: { subaccountId: f.subaccountId } }),
    appointments: await prisma.appointment.count({ where: { calendar: { subaccountId: f.subaccountId } } }),
    contacts: await prisma.contact.count({ where: { subaccountId: f.subaccountId } }),
    calendarNames: (await prisma.crmCalendar.findMany({ where: { subaccountId: f.subaccountId } })).map((c) => c.name),
  }
}

describe('text inputs', () => {
  it('refuses a NUL byte in each field with a ValidationError naming it, storing nothing', async () => {
    const before = await storedCounts()
    const create = await f.adminClient.data(CreateCalendar, { input: { name: 'Cuts\u0000', type: 'SERVICE' } })
    expect(refusal(create.createCrmCalendar)).toEqual(refused('input.name'))

    const update = await f.adminClient.data(UpdateCalendar, { input: { id: f.calendarId, name: 'A\u0000B' } })
    expect(refusal(update.updateCrmCalendar)).toEqual(refused('input.name'))

    const userId = encodeGlobalID('User', f.admin.id)
    const slot = await f.adminClient.data(CreateBlockedSlot, {
      input: { userId, start, end: at(upcomingMonday(), 11), title: 'Lunch\u0000' },
    })
    expect(refusal(slot.createBlockedSlot)).toEqual(refused('input.title'))

    const name = await f.adminClient.data(Book, {
      input: { calendarId: f.calendarId, start, contact: { ...contact, name: 'Ada\u0000' } },
    })
    expect(refusal(name.bookAppointment)).toEqual(refused('input.contact.name'))

    const notes = await f.adminClient.data(Book, {
      input: { calendarId: f.calendarId, start, contact, notes: 'Bring\u0000 a pen' },
    })
    expect(refusal(notes.bookAppointment)).toEqual(refused('input.notes'))

    expect(await storedCounts()).toEqual(before)
  })

  it('refuses other control characters but keeps tabs and line breaks', async () => {
    const bell = await f.adminClient.data(Book, {
      input: { calendarId: f.calendarId, start, contact, notes: 'ring \u0007' },
    })
    expect(refusal(bell.bookAppointment)).toEqual(refused('input.notes'))
    const escape = await f.adminClient.data(CreateCalendar, { input: { name: '\u001b[31mred', type: 'SERVICE' } })
    expect(refusal(escape.createCrmCalendar)).toEqual(refused('input.name'))

    const fine = await f.adminClient.data(Book, {
      input: {
        calendarId: f.calendarId,
        start: at(upcomingMonday(), 14),
        contact,
        notes: 'Line one\r\nLine two\tindented',
      },
    })
    expect(fine.bookAppointment.__typename).toBe('BookAppointmentSuccess')
  })

  it('refuses a 90,000-character calendar name', async () => {
    const before = await storedCounts()
    const result = await f.adminClient.data(CreateCalendar, { input: { name: 'x'.repeat(90_000), type: 'SERVICE' } })
    expect(refusal(result.createCrmCalendar)).toEqual(refused('input.name'))
    expect(result.createCrmCalendar.__typename === 'ValidationError' && result.createCrmCalendar.fieldErrors).toEqual([
      { path: ['input', 'name'], message: 'At most 200 characters' },
    ])
    expect(await storedCounts()).toEqual(before)
  })

  it('refuses e-mail addresses beyond 254 characters or with a local part beyond 64', async () => {
    const before = await storedCounts()
    const longLocal = await f.adminClient.data(Book, {
      input: { calendarId: f.calendarId, start, contact: { ...contact, email: `${'a'.repeat(300)}@example.com` } },
    })
    expect(refusal(longLocal.bookAppointment)).toEqual(refused('input.contact.email'))
    const longDomain = `a@${Array.from({ length: 5 }, () => 'd'.repeat(60)).join('.')}.com`
    const longTotal = await f.adminClient.data(Book, {
      input: { calendarId: f.calendarId, start, contact: { ...contact, email: longDomain } },
    })
    expect(refusal(longTotal.bookAppointment)).toEqual(refused('input.contact.email'))
    expect(await storedCounts()).toEqual(before)

    const atLimit = await f.adminClient.data(Book, {
      input: {
        calendarId: f.calendarId,
        start: at(upcomingMonday(), 12),
        contact: { ...contact, email: `${'b'.repeat(64)}@example.com` },
      },
    })
    expect(atLimit.bookAppointment.__typename).toBe('BookAppointmentSuccess')
  })

  it('checks query arguments too: a NUL in an ID is INVALID_INPUT, not an internal error', async () => {
    const id = encodeGlobalID('CrmCalendar', 'abc\u0000')
    const result = await f.adminClient.execute(`query ($id: ID!) { crmCalendar(id: $id) { id } }`, { id })
    expect(result.errors?.map((error) => error.extensions?.code)).toEqual(['INVALID_INPUT'])
    const after = Buffer.from('GPC:S:abc\u0000').toString('base64')
    const page = await f.adminClient.execute(
      `query ($after: String) { viewer { subaccount { crmCalendars(first: 1, after: $after) { edges { cursor } } } } }`,
      { after },
    )
    expect(page.errors?.map((error) => error.extensions?.code)).toEqual(['INVALID_INPUT'])
  })
})
