// Child side of requests-in-child.ts: builds a world, then answers one batch of GETs.
import { createWorld } from './world.js'

const world = await createWorld()
process.once('message', async ({ paths }: { paths: string[] }) => {
  const answers = []
  for (const path of paths) {
    const r = await world.api.call(
      'GET',
      `/api/v1${path.replaceAll(':project', world.projectId)}`,
      {
        token: world.token.viewer,
      },
    )
    answers.push({ path, status: r.status, body: r.body })
  }
  process.send!({ answers }, () => process.exit(0))
})
process.send!({ ready: true })
