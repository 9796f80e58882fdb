// Shared setup of the public booking tests: a calendar made and published through the staff API, and the public
// client the widget would use.
import { graphql } from '../../graphql/index.ts'
import { PublicTestClient } from '../../support/publicClient.ts'
import type { TestApp } from '../../support/testApp.ts'
import { setUpCalendar, type CalendarOptions, type Fixture } from '../scheduling/support.ts'

export const PublishCrmCalendar = graphql(`
  mutation PubPublishCrmCalendar($input: PublishCrmCalendarInput!) {
    publishCrmCalendar(input: $input) {
      __typename
      ... on PublishCrmCalendarSuccess {
        crmCalendar {
          id
          published
          slug
          publicUrl
          description
        }
      }
      ...ErrorFields
    }
  }
`)

export const UpdateSubaccount = graphql(`
  mutation PubUpdateSubaccount($input: UpdateSubaccountInput!) {
    updateSubaccount(input: $input) {
      __typename
      ... on UpdateSubaccountSuccess {
        subaccount {
          slug
        }
      }
      ...ErrorFields
    }
  }
`)

export function publicClient(t: TestApp): PublicTestClient {
  return new PublicTestClient(`${t.url}/public/graphql`)
}

export interface PublishedFixture extends Fixture {
  subaccountSlug: string
  calendarSlug: string
  slugs: { subaccountSlug: string; calendarSlug: string }
}

/** A calendar of `type` (made through the staff API) published under a fresh slug. */
export async function setUpPublishedCalendar(
  t: TestApp,
  options: Partial<CalendarOptions> = {},
): Promise<PublishedFixture> {
  const f = await setUpCalendar(t, { type: 'SERVICE', ...options })
  const subaccount = await t.services.prisma.subaccount.findUniqueOrThrow({ where: { id: f.subaccountId } })
  const published = await f.adminClient.data(PublishCrmCalendar, {
    input: { calendarId: f.calendarId, published: true, description: 'Talk to us.' },
  })
  if (published.publishCrmCalendar.__typename !== 'PublishCrmCalendarSuccess') {
    throw new Error(JSON.stringify(published.publishCrmCalendar))
  }
  const calendarSlug = published.publishCrmCalendar.crmCalendar.slug!
  const slugs = { subaccountSlug: subaccount.slug, calendarSlug }
  return { ...f, ...slugs, slugs }
}
