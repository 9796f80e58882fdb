// Publishing: an unpublished calendar is invisible on the public path, with exactly the answer of a missing one.
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PublicAvailabilityDocument, PublicCalendarDocument } from '../../../web/generated/graphql.ts'
import { createUser } from '../../support/factories.ts'
import { startTestApp, type TestApp } from '../../support/testApp.ts'
import { at, CreateCrmCalendar, upcomingMonday, ZONE } from '../scheduling/support.ts'
import { publicClient, PublishCrmCalendar, setUpPublishedCalendar, UpdateSubaccount } from './support.ts'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
})
afterAll(async () => {
  await t?.close()
})

const day = upcomingMonday()
const range = { from: at(day, 0), to: at(day.plus({ days: 1 }), 0), timeZone: ZONE }

describe('publishing a calendar', () => {
  it('shows a published calendar without a token, and hides it again when unpublished', async () => {
    const f = await setUpPublishedCalendar(t)
    const client = publicClient(t)
    const shown = await client.data(PublicCalendarDocument, f.slugs)
    expect(shown.publicCalendar).toMatchObject({
      ...f.slugs,
      name: 'SERVICE calendar',
      description: 'Talk to us.',
      durationMinutes: 60,
      timeZone: ZONE,
      bookingWindowDays: 60,
      minimumNoticeMinutes: 0,
      seats: null,
    })
    const slots = await client.data(PublicAvailabilityDocument, { ...f.slugs, ...range })
    expect(slots.publicAvailability.slots.length).toBe(15)

    const unpublished = await f.adminClient.data(PublishCrmCalendar, {
      input: { calendarId: f.calendarId, published: false },
    })
    expect(unpublished.publishCrmCalendar).toMatchObject({ crmCalendar: { published: false, publicUrl: null } })

    const missing = { subaccountSlug: f.subaccountSlug, calendarSlug: 'no-such-calendar' }
    for (const document of [PublicCalendarDocument, PublicAvailabilityDocument] as const) {
      const hidden = await client.execute(document as typeof PublicAvailabilityDocument, { ...f.slugs, ...range })
      const absent = await client.execute(document as typeof PublicAvailabilityDocument, { ...missing, ...range })
      expect(hidden.status).toBe(absent.status)
      expect(hidden.raw).toBe(absent.raw)
    }
    const hidden = await client.execute(PublicAvailabilityDocument, { ...f.slugs, ...range })
    expect(hidden.errors?.[0]?.extensions?.code).toBe('CALENDAR_NOT_FOUND')
    expect((await client.data(PublicCalendarDocument, f.slugs)).publicCalendar).toBeNull()
  })

  it('gives the calendar a slug from its name, unique in the subaccount, and its widget URL', async () => {
    const f = await setUpPublishedCalendar(t)
    expect(f.calendarSlug).toBe('service-calendar')
    const second = await f.adminClient.data(CreateCrmCalendar, {
      input: { name: 'SERVICE calendar', type: 'SERVICE', timeZone: ZONE },
    })
    if (second.createCrmCalendar.__typename !== 'CreateCrmCalendarSuccess') throw new Error('create failed')
    const calendarId = second.createCrmCalendar.crmCalendar.id
    const auto = await f.adminClient.data(PublishCrmCalendar, { input: { calendarId, published: true } })
    expect(auto.publishCrmCalendar).toMatchObject({
      crmCalendar: { slug: 'service-calendar-2', publicUrl: `/book/${f.subaccountSlug}/service-calendar-2` },
    })
    const taken = await f.adminClient.data(PublishCrmCalendar, {
      input: { calendarId, published: true, slug: 'service-calendar' },
    })
    expect(taken.publishCrmCalendar).toMatchObject({ __typename: 'SlugTakenError', code: 'SLUG_TAKEN' })
    const invalid = await f.adminClient.data(PublishCrmCalendar, {
      input: { calendarId, published: true, slug: 'Not A Slug' },
    })
    expect(invalid.publishCrmCalendar.__typename).toBe('ValidationError')
  })

  it('lets only admins publish and change the subaccount slug; subaccount slugs are unique', async () => {
    const f = await setUpPublishedCalendar(t)
    const user = await createUser(t.services, f.subaccountId)
    const asUser = t.client(user.token)
    const refused = await asUser.data(PublishCrmCalendar, { input: { calendarId: f.calendarId, published: false } })
    expect(refused.publishCrmCalendar.__typename).toBe('ForbiddenError')
    expect((await asUser.data(UpdateSubaccount, { input: { slug: 'mine' } })).updateSubaccount.__typename).toBe(
      'ForbiddenError',
    )

    const renamed = await f.adminClient.data(UpdateSubaccount, {
      input: { slug: `clinic-${randomBytes(4).toString('hex')}` },
    })
    expect(renamed.updateSubaccount.__typename).toBe('UpdateSubaccountSuccess')
    const other = await setUpPublishedCalendar(t)
    const clash = await other.adminClient.data(UpdateSubaccount, {
      input: { slug: (renamed.updateSubaccount as { subaccount: { slug: string } }).subaccount.slug },
    })
    expect(clash.updateSubaccount).toMatchObject({ __typename: 'SlugTakenError', code: 'SLUG_TAKEN' })
    // The old address no longer answers; the new one does.
    const client = publicClient(t)
    expect((await client.data(PublicCalendarDocument, f.slugs)).publicCalendar).toBeNull()
  })
})
