// `npm run seed`: a demo subaccount with users, one CRM calendar of each type with working hours, and their tokens.
import { createServices } from '../src/app/app.ts'
import { loadConfig } from '../src/config.ts'
import { seedDemo } from '../src/app/seedDemo.ts'

const config = loadConfig()
const { services, database, closePubSub } = await createServices(config, { logDestination: undefined })
try {
  const demo = await seedDemo(services.prisma)
  console.log(`Seeded subaccount "${demo.subaccount.name}" (${demo.subaccount.id}).\n`)
  for (const user of demo.users) {
    const token = await services.tokens.sign({ userId: user.id, subaccountId: demo.subaccount.id })
    console.log(`${user.role.padEnd(5)} ${user.email}\n      Authorization: Bearer ${token}\n`)
  }
  console.log('Calendars:', demo.calendars.map((calendar) => `${calendar.name} (${calendar.type})`).join(', '))
  console.log(`Booking widget (no token): http://localhost:${config.port}${demo.publicPath}`)
} finally {
  await closePubSub()
  await database.close()
}
