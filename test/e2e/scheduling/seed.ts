// A fluent seed for scheduling scenarios, so a test's setup reads as its scenario:
//   const f = await seed(t).calendar({ type: 'ROUND_ROBIN', members: 2 }).busy(0, at(monday, 10), at(monday, 12))
// Every step goes through the API as an admin would; nothing runs until the chain is awaited.
import type { TestApp } from '../../support/testApp.ts'
import { SetDateOverride, setUpCalendar, userGid, type CalendarOptions, type Fixture } from './support.ts'
import { CreateBlockedSlot } from '../blockedSlotDocuments.ts'

type Step = (f: Fixture) => Promise<void>

class CalendarSeed implements PromiseLike<Fixture> {
  private readonly steps: Step[] = []

  constructor(
    private readonly t: TestApp,
    private readonly options: CalendarOptions,
  ) {}

  /** Member `member` (index into `members`) is busy from `start` to `end` (a CRM blocked slot). */
  busy(member: number, start: string, end: string): this {
    this.steps.push(async (f) => {
      const result = await f.adminClient.data(CreateBlockedSlot, {
        input: { userId: userGid(memberOf(f, member).user.id), start, end },
      })
      if (result.createBlockedSlot.__typename !== 'CreateBlockedSlotSuccess') {
        throw new Error(JSON.stringify(result.createBlockedSlot))
      }
    })
    return this
  }

  /** Member `member` works only `intervals` (minutes of the day) on `date` (ISO date). */
  worksOn(member: number, date: string, intervals: { startMinute: number; endMinute: number }[]): this {
    this.steps.push(async (f) => {
      await f.adminClient.data(SetDateOverride, { input: { memberId: memberOf(f, member).memberId, date, intervals } })
    })
    return this
  }

  then<A = Fixture, B = never>(
    onFulfilled?: ((fixture: Fixture) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): PromiseLike<A | B> {
    return this.build().then(onFulfilled, onRejected)
  }

  private async build(): Promise<Fixture> {
    const f = await setUpCalendar(this.t, this.options)
    for (const step of this.steps) await step(f)
    return f
  }
}

function memberOf(f: Fixture, index: number): Fixture['members'][number] {
  const member = f.members[index]
  if (!member) throw new Error(`the seeded calendar has no member ${index}`)
  return member
}

export function seed(t: TestApp) {
  return {
    /** A team and a calendar of `type` with its members and working hours (see setUpCalendar). */
    calendar: (options: CalendarOptions) => new CalendarSeed(t, options),
  }
}
