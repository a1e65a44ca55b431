import { type Account, api, createSharedProject, expect, test } from './fixtures'
import { BoardPage } from './page-models/board-page'

// Live = without a reload. How fast is a benchmark's question (docs/benchmarks.md, fan-out
// latency), not a test's: a loaded machine must not fail a correct build.
const LIVE = { timeout: 15_000 }

test('a task created through the API appears live on an open board, and moves and trashes live too', async ({
  server,
  register,
  signedInPage,
}) => {
  const ada = await register('Ada')
  const bot: Account = await register('Bot')
  const projectId = await createSharedProject(server, ada, 'Integrations', [
    { account: bot, role: 'member' },
  ])
  const board = new BoardPage((await signedInPage(ada)).page)
  await board.goto(projectId)
  await board.waitSaved()

  // An integration (here: a plain fetch) creates a task while Ada has the board open.
  const created = await api<{ id: string; columnId: string }>(
    server,
    bot,
    `/projects/${projectId}/tasks`,
    { method: 'POST', body: { title: 'Filed by the API', priority: 'high' } },
  )
  await expect(board.card('Filed by the API')).toBeVisible(LIVE)
  await expect.poll(() => board.cardTitlesIn('To do'), LIVE).toEqual(['Filed by the API'])

  const { columns } = await api<{ columns: { id: string; name: string }[] }>(
    server,
    bot,
    `/projects/${projectId}/board`,
  )
  const doing = columns.find((c) => c.name === 'In progress')!
  await api(server, bot, `/projects/${projectId}/tasks/${created.id}/move`, {
    method: 'POST',
    body: { columnId: doing.id },
  })
  await expect.poll(() => board.cardTitlesIn('In progress'), LIVE).toEqual(['Filed by the API'])

  await api(server, bot, `/projects/${projectId}/tasks/${created.id}`, { method: 'DELETE' })
  await expect(board.card('Filed by the API')).toHaveCount(0, LIVE)
})
