import { z } from 'zod'
import { builder } from '../builder.ts'

builder.subscriptionField('heartbeat', (t) =>
  t.field({
    type: 'DateTime',
    description: 'Emits the server time every `intervalSeconds`: lets clients check their live connection.',
    args: {
      intervalSeconds: t.arg.int({ required: false, defaultValue: 30, validate: z.number().int().min(1).max(300) }),
    },
    subscribe: async function* (_root, args) {
      for (;;) {
        yield new Date()
        await new Promise((resolve) => setTimeout(resolve, (args.intervalSeconds ?? 30) * 1000))
      }
    },
    resolve: (date) => date,
  }),
)
