import { type Account, createSharedProject, expect, test } from './fixtures'
import { BoardPage } from './page-models/board-page'

/**
 * A tab that reaches the open board's document the way someone with the browser's devtools
 * could: React's DevTools hook (defined before the app starts) hands over every committed
 * tree, and the board's context in it holds the document.
 */
const TAMPERING = () => {
  const w = window as unknown as { __REACT_DEVTOOLS_GLOBAL_HOOK__: unknown; __root?: unknown }
  w.__REACT_DEVTOOLS_GLOBAL_HOOK__ = {
    supportsFiber: true,
    renderers: new Map(),
    inject: () => 1,
    onCommitFiberRoot: (_id: number, root: { current: unknown }) => {
      w.__root = root.current
    },
    onCommitFiberUnmount: () => {},
    onPostCommitFiberRoot: () => {},
    checkDCE: () => {},
  }
}

/** Renames a task in the page's open document, bypassing the read-only board. */
function renameInDocument(page: BoardPage, taskId: string, title: string): Promise<boolean> {
  return page.page.evaluate(
    ([id, t]) => {
      interface Fiber {
        memoizedProps: { value?: { doc?: unknown } } | null
        child: Fiber | null
        sibling: Fiber | null
      }
      interface Text {
        length: number
        delete: (at: number, n: number) => void
        insert: (at: number, s: string) => void
      }
      interface Doc {
        getMap: (name: string) => { get: (key: string) => { get: (key: string) => Text } }
        transact: (fn: () => void) => void
      }
      const stack = [(window as unknown as { __root: Fiber }).__root]
      while (stack.length > 0) {
        const f = stack.pop()!
        const doc = f.memoizedProps?.value?.doc as Doc | undefined
        if (doc && typeof doc.getMap === 'function') {
          const text = doc.getMap('tasks').get(id).get('title')
          doc.transact(() => {
            text.delete(0, text.length)
            text.insert(0, t)
          })
          return true
        }
        for (let c = f.child; c; c = c.sibling) stack.push(c)
      }
      return false
    },
    [taskId, title] as const,
  )
}

async function taskId(page: BoardPage, title: string): Promise<string> {
  const id = await page.card(title).getAttribute('data-task-id')
  if (!id) throw new Error(`no task id on ${title}`)
  return id
}

test('a viewer’s edit in one tab does not reach the server through another account’s tab of the same browser', async ({
  server,
  register,
  signedInPage,
}) => {
  const owner = await register('Ada')
  const member = await register('Mia')
  const viewer = await register('Vic')
  const projectId = await createSharedProject(server, owner, 'Budget', [
    { account: member, role: 'member' },
    { account: viewer, role: 'viewer' },
  ])
  const a = new BoardPage((await signedInPage(owner)).page)
  await a.goto(projectId)
  await a.addTasks('To do', ['Rent'])
  await a.waitSaved()

  // One browser: Mia's board in one tab, then Vic signs in to a second tab. Tabs follow the
  // browser's session when they notice the change (a storage event); Mia's tab here does not
  // notice, as any tab before it does, so it stays Mia's, connected as her.
  const { context, page: memberPage } = await signedInPage(member)
  await memberPage.addInitScript(() => {
    window.addEventListener('storage', (e) => e.stopImmediatePropagation(), true)
  })
  const m = new BoardPage(memberPage)
  await m.goto(projectId)
  await expect(m.card('Rent')).toBeVisible()
  await m.waitSaved()
  const viewerPage = await context.newPage()
  await viewerPage.addInitScript(
    (session: string) => {
      localStorage.setItem('taskflow.session', session)
    },
    JSON.stringify(viewer satisfies Account),
  )
  await viewerPage.addInitScript(TAMPERING)
  const v = new BoardPage(viewerPage)
  await v.goto(projectId)
  await expect(v.page.getByTestId('read-only-badge')).toBeVisible()
  await v.waitSaved()

  expect(await renameInDocument(v, await taskId(v, 'Rent'), 'Forged by Vic')).toBe(true)
  await expect(v.card('Forged by Vic')).toBeVisible()

  // A server restart makes every tab handshake again: each sends the server what it lacks.
  await server.stop()
  await server.start()
  await m.waitSaved()
  // Mia's next edit travels her socket after her handshake: once Ada has it, Ada has
  // everything Mia's tab sent before it.
  await m.addTasks('To do', ['Groceries'])
  await expect(a.card('Groceries')).toBeVisible()
  await expect(a.card('Rent')).toBeVisible()
  await expect(a.card('Forged by Vic')).toHaveCount(0)
  await expect(m.card('Forged by Vic')).toHaveCount(0)
})

test('two tabs of one account show each other’s edits', async ({
  server,
  register,
  signedInPage,
}) => {
  const owner = await register('Ada')
  const projectId = await createSharedProject(server, owner, 'Errands', [])
  const { context, page } = await signedInPage(owner)
  const first = new BoardPage(page)
  const second = new BoardPage(await context.newPage())
  await first.goto(projectId)
  await second.goto(projectId)

  await first.addTasks('To do', ['Post letter'])
  await expect(second.card('Post letter')).toBeVisible()
  await second.dragTask('Post letter', 'Done')
  await expect.poll(() => first.cardTitlesIn('Done')).toEqual(['Post letter'])
  await first.waitSaved()
  await second.waitSaved()
})
