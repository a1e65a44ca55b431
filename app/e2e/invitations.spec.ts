import {
  api,
  createSharedProject,
  expect,
  newContext,
  PASSWORD,
  publishScreenshots,
  saveScreenshot,
  test,
  uniqueEmail,
} from './fixtures'
import { BoardPage } from './page-models/board-page'
import { InvitationPage, linkIn } from './page-models/invitation-page'
import { MembersPage } from './page-models/members-page'

const DAY = 86_400_000

test('a person without an account follows the invitation, signs up and lands on the board', async ({
  server,
  register,
  signedInPage,
  browser,
}) => {
  const owner = await register('Olivia')
  const projectId = await createSharedProject(server, owner, 'Launch plan', [])
  const members = new MembersPage((await signedInPage(owner)).page)
  await members.goto(projectId)
  const dave = uniqueEmail('dave')
  await members.invite(dave)
  await expect(members.notice).toHaveText(`Invitation sent to ${dave}.`)
  await expect(members.invitation(dave)).toContainText('member ·')

  const context = await newContext(browser, server.url)
  const page = await context.newPage()
  const invitation = new InvitationPage(page)
  await invitation.open(linkIn(server.lastMailTo(dave), '/invitations/'))
  await expect(invitation.heading).toHaveText('Join Launch plan')
  await expect(invitation.card).toContainText(
    `Olivia invited ${dave} to the project Launch plan as member`,
  )
  await saveScreenshot(page, 'invitation')
  await invitation.card.getByRole('link', { name: 'Sign up to join' }).click()
  await expect(invitation.signUpEmail).toHaveValue(dave)
  await page.goBack()
  await invitation.signUp({ name: 'Dave', password: PASSWORD })
  await page.waitForURL(`**/projects/${projectId}`)
  await new BoardPage(page).board.waitFor()

  // Dave is a member now; the invitation is no longer pending.
  await members.goto(projectId)
  await expect(members.member('Dave')).toContainText(dave)
  await expect(members.pending).toHaveCount(0)
  await context.close()
  publishScreenshots('invitation')
})

test('the Members page lists pending invitations and resends or revokes each', async ({
  server,
  register,
  signedInPage,
  browser,
}) => {
  const owner = await register('Olivia')
  const mate = await register('Mia')
  const projectId = await createSharedProject(server, owner, 'Roadmap', [
    { account: mate, role: 'member' },
  ])
  const members = new MembersPage((await signedInPage(owner)).page)
  await members.goto(projectId)

  // A refused invite shows its error until the address is edited.
  await members.invite(mate.user.email)
  await expect(members.error).toHaveText('This user is already a member')
  await members.emailInput.fill('someone')
  await expect(members.error).toHaveCount(0)

  const erin = uniqueEmail('erin')
  const fred = uniqueEmail('fred')
  await members.invite(erin)
  await members.invite(fred)
  await expect(members.invitation(erin)).toBeVisible()
  await expect(members.invitation(fred)).toBeVisible()

  const firstLink = linkIn(server.lastMailTo(erin), '/invitations/')
  await members.resend(erin)
  await expect(members.notice).toHaveText(`A new invitation link was sent to ${erin}.`)
  const secondLink = linkIn(server.lastMailTo(erin), '/invitations/')
  expect(secondLink).not.toBe(firstLink)

  const fredLink = linkIn(server.lastMailTo(fred), '/invitations/')
  await members.revoke(fred)
  await expect(members.notice).toHaveText(`The invitation of ${fred} was revoked.`)
  await expect(members.invitation(fred)).toHaveCount(0)
  await expect(members.invitation(erin)).toBeVisible()

  const page = await (await newContext(browser, server.url)).newPage()
  const invitation = new InvitationPage(page)
  await invitation.open(fredLink)
  await expect(invitation.heading).toHaveText('This invitation link is not valid')
  await invitation.open(secondLink)
  await expect(invitation.heading).toHaveText('Join Roadmap')
  await page.context().close()
})

test('an expired invitation link explains itself instead of offering to join', async ({
  server,
  register,
  browser,
}) => {
  const owner = await register('Olivia')
  const projectId = await createSharedProject(server, owner, 'Old news', [])
  const gus = uniqueEmail('gus')
  await api(server, owner, `/projects/${projectId}/members`, {
    method: 'POST',
    body: { email: gus, role: 'viewer' },
  })
  const link = linkIn(server.lastMailTo(gus), '/invitations/')
  // Invitations live 14 days by default; the clock is put back after this test (fixtures).
  server.advanceClock(15 * DAY)
  const page = await (await newContext(browser, server.url)).newPage()
  const invitation = new InvitationPage(page)
  await invitation.open(link)
  await expect(invitation.heading).toHaveText('This invitation can no longer be used')
  await expect(invitation.card).toContainText('expired or was already used')
  await expect(invitation.card.getByRole('link', { name: 'Sign up to join' })).toHaveCount(0)
  await page.context().close()
})
