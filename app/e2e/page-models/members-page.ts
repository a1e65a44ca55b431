import type { Locator, Page } from '@playwright/test'

/** A project's Members page (settings): invite, pending invitations, members. */
export class MembersPage {
  constructor(private readonly page: Page) {}

  async goto(projectId: string): Promise<void> {
    await this.page.goto(`/projects/${projectId}/settings`)
    await this.page.getByRole('form', { name: 'Invite member' }).waitFor()
  }

  get emailInput(): Locator {
    return this.page.getByLabel('Email to invite')
  }

  async invite(email: string): Promise<void> {
    await this.emailInput.fill(email)
    await this.page.getByRole('button', { name: 'Invite', exact: true }).click()
  }

  /** "Invitation sent to …" and the other outcomes of an action. */
  get notice(): Locator {
    return this.page.getByRole('status').filter({ hasNotText: 'Loading' })
  }

  get error(): Locator {
    return this.page.getByRole('alert')
  }

  get pending(): Locator {
    return this.page.getByRole('region', { name: 'Pending invitations' })
  }

  invitation(email: string): Locator {
    return this.page.getByTestId('invitation-row').filter({ hasText: email })
  }

  member(name: string): Locator {
    return this.page.getByTestId('member-row').filter({ hasText: name })
  }

  async resend(email: string): Promise<void> {
    await this.invitation(email).getByRole('button', { name: 'Resend' }).click()
  }

  async revoke(email: string): Promise<void> {
    await this.invitation(email).getByRole('button', { name: 'Revoke' }).click()
  }
}
