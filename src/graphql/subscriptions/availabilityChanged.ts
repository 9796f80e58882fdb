import { validateAvailabilityRange } from '../../scheduling/availabilityService.ts'
import { noteAttention } from '../../scheduling/attention.ts'
import { builder } from '../builder.ts'
import { shareResults } from '../sharedResults.ts'
import { AvailabilityRef, type AvailabilityPayload } from '../types/Availability.ts'
import { CrmCalendarRef } from '../types/CrmCalendar.ts'

builder.subscriptionField('availabilityChanged', (t) =>
  t.field({
    type: AvailabilityRef,
    description:
      'Live availability: the first push is the current availability; then a push with the full slot list and ' +
      '`added`/`removed` whenever a blocked slot, appointment, working hour, override, member or setting change ' +
      'alters the slots (from this process or, with Redis, any other).',
    args: {
      calendarId: t.arg.globalID({ required: true, for: CrmCalendarRef }),
      from: t.arg({ type: 'DateTime', required: true }),
      to: t.arg({ type: 'DateTime', required: true }),
      timeZone: t.arg({ type: 'TimeZone', required: true }),
    },
    // Subscribers of the same calendar and range share one computation per change (src/realtime/liveAvailability.ts),
    // and one execution of each push per document and variables (../sharedResults.ts: Availability reads only it).
    subscribe: async (_root, args, context): Promise<AsyncIterable<AvailabilityPayload>> => {
      const { services, viewer } = context
      const range = { from: args.from, to: args.to }
      validateAvailabilityRange(range, args.timeZone)
      noteAttention(services, args.calendarId.id)
      const stream = await services.liveAvailability.open({
        calendarId: args.calendarId.id,
        subaccountId: viewer.subaccountId,
        range,
        timeZone: args.timeZone,
      })
      return shareResults(context, stream)
    },
    resolve: (payload) => payload,
  }),
)
