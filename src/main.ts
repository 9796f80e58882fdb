// Process entry point: configuration, the app, and graceful shutdown on SIGTERM/SIGINT.
import { createApp } from './app/app.ts'
import { seedDemo } from './app/seedDemo.ts'
import { ConfigError, loadConfig } from './config.ts'

async function main() {
  const config = loadConfig()
  const app = await createApp(config, {
    startBackgroundJobs: config.role !== 'api',
    databaseSchema: config.databaseSchema ?? undefined,
  })
  const { url } = await app.listen()
  const { logger } = app.services
  // A promise nobody awaited (a library's, or ours) must not end a process that otherwise works: log it and go on.
  process.on('unhandledRejection', (reason: unknown) => logger.error({ err: reason }, 'unhandled promise rejection'))
  if (config.env === 'development' && (await app.services.prisma.subaccount.count()) === 0) {
    // First start of a development server: demo data and tokens, so GraphiQL works right away.
    const demo = await seedDemo(app.services.prisma)
    for (const user of demo.users) {
      const token = await app.services.tokens.sign({ userId: user.id, subaccountId: demo.subaccount.id })
      console.log(`demo ${user.role.toLowerCase()} ${user.email}: Authorization: Bearer ${token}`)
    }
    console.log(`demo booking widget (no token): ${url}${demo.publicPath}`)
  }
  logger.info(
    {
      url: `${url}/graphql`,
      database: app.services.databaseKind,
      role: config.role,
      pubsub: config.redisUrl ? 'redis' : 'memory',
    },
    'server started',
  )

  let stopping = false
  const shutdown = (signal: string) => {
    if (stopping) return
    stopping = true
    logger.info({ signal }, 'shutting down')
    // The drain ends at SHUTDOWN_DRAIN_MS; closing pub/sub and the database after it gets 5 s more.
    const force = setTimeout(() => process.exit(1), config.shutdownDrainMs + 5_000)
    force.unref()
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed')
        process.exit(1)
      },
    )
  }
  process.on('SIGTERM', () => shutdown('SIGTERM'))
  process.on('SIGINT', () => shutdown('SIGINT'))
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error)
  process.exit(1)
})
