// The fields every bookable slot has: the staff path's Slot and the public path's PublicSlot show them alike.
import type { builder } from '../builder.ts'

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never

interface BookableSlot {
  start: Date
  end: Date
  localStart: string
  localEnd: string
  seatsLeft: number | null
}

export function slotFields<Slot extends BookableSlot>(t: PothosSchemaTypes.ObjectFieldBuilder<Types, Slot>) {
  return {
    start: t.field({ type: 'DateTime', resolve: (slot) => slot.start }),
    end: t.field({ type: 'DateTime', resolve: (slot) => slot.end }),
    localStart: t.field({
      type: 'String',
      description: 'ISO 8601 in the requested time zone with its offset, e.g. 2026-03-30T09:00:00+02:00.',
      resolve: (slot) => slot.localStart,
    }),
    localEnd: t.field({ type: 'String', resolve: (slot) => slot.localEnd }),
    seatsLeft: t.field({
      type: 'Int',
      nullable: true,
      description: 'Class booking only: seats still free.',
      resolve: (slot) => slot.seatsLeft,
    }),
  }
}
