import { expect, type Locator, type Page } from '@playwright/test'

/** The task detail panel (at /projects/:id/tasks/:taskId). */
export class TaskPanel {
  constructor(private readonly page: Page) {}

  get root(): Locator {
    return this.page.getByTestId('task-panel')
  }

  get title(): Locator {
    return this.root.getByTestId('task-title')
  }

  /** The description editor (rich text: a contenteditable; a textarea for legacy tasks). */
  get description(): Locator {
    return this.root.getByTestId('task-description')
  }

  /** Formatting buttons above the description (absent for viewers). */
  get descriptionToolbar(): Locator {
    return this.root.getByRole('toolbar', { name: 'Description formatting' })
  }

  descriptionTool(label: string): Locator {
    return this.descriptionToolbar.getByRole('button', { name: label, exact: true })
  }

  /**
   * The description's bold text, runs joined. A teammate's caret drawn inside a bold run
   * splits it into two `strong` elements, so a single element may hold only part of it.
   */
  async descriptionBoldText(): Promise<string> {
    return this.description.evaluate((el) => {
      const copy = el.cloneNode(true) as HTMLElement
      for (const c of copy.querySelectorAll('.collaboration-carets__caret')) c.remove()
      return [...copy.querySelectorAll('strong')].map((s) => s.textContent ?? '').join('')
    })
  }

  /** Teammates' caret labels shown in the description (`name` narrows to one person). */
  caretLabels(name?: string): Locator {
    const labels = this.description.getByTestId('caret-label')
    return name === undefined ? labels : labels.filter({ hasText: name })
  }

  /** The description's text without teammates' caret labels. */
  async descriptionText(): Promise<string> {
    return this.description.evaluate((el) => {
      const copy = el.cloneNode(true) as HTMLElement
      for (const c of copy.querySelectorAll('.collaboration-carets__caret')) c.remove()
      return copy.textContent ?? ''
    })
  }

  /** Puts the caret at the end of the description. */
  async focusDescriptionEnd(): Promise<void> {
    await this.placeDescriptionCaret(-1)
  }

  /** Puts the caret at the end of the description's `line`-th block (0-based). */
  async focusDescriptionLineEnd(line: number): Promise<void> {
    await this.placeDescriptionCaret(line)
  }

  /**
   * Focuses the editor with its caret at the end of a block (-1: the last) through TipTap's
   * own commands (the editor is `element.editor`). A click lands wherever the pointer is
   * (a teammate's caret label, the middle of a word), and keys pressed right after a click
   * may arrive before the editor has taken the focus; typing itself stays real key presses.
   */
  private async placeDescriptionCaret(block: number): Promise<void> {
    await this.description.evaluate((el, block) => {
      // TipTap's editor handle on its element.
      const editor = (el as any).editor
      const doc = editor.state.doc
      const index = block < 0 ? doc.childCount - 1 : block
      let end = doc.content.size
      doc.forEach((node: { nodeSize: number }, offset: number, i: number) => {
        if (i === index) end = offset + node.nodeSize - 1
      })
      editor.chain().focus().setTextSelection(end).run()
    }, block)
    await expect(this.description).toBeFocused()
  }

  /** Types with the real keyboard where the description's caret is. */
  async typeInDescription(text: string, delay = 15): Promise<void> {
    await this.page.keyboard.type(text, { delay })
  }

  async undoInDescription(): Promise<void> {
    await this.page.keyboard.press('Control+z')
  }

  async setPriority(label: string): Promise<void> {
    await this.root.getByLabel('Priority').selectOption({ label })
  }

  async setDueDate(date: string): Promise<void> {
    await this.root.getByLabel('Due date').fill(date)
  }

  async addChecklistItems(items: string[]): Promise<void> {
    await this.root.getByRole('button', { name: 'Add item' }).click()
    const input = this.root.getByLabel('Checklist item')
    for (const item of items) {
      await input.fill(item)
      await input.press('Enter')
    }
    await input.press('Escape')
  }

  checklistItem(text: string): Locator {
    return this.root.getByLabel(`Done: ${text}`)
  }

  /** The subtasks section's rows. */
  get subtasks(): Locator {
    return this.root.getByTestId('subtask')
  }

  subtask(title: string): Locator {
    return this.subtasks.filter({
      has: this.page.getByTestId('subtask-title').getByText(title, { exact: true }),
    })
  }

  subtaskTitles(): Promise<string[]> {
    return this.root.getByTestId('subtask-title').allTextContents()
  }

  /** "2/5 · 3/8 pts" beside the section's heading (absent without subtasks). */
  get subtaskProgress(): Locator {
    return this.root.getByTestId('subtask-progress')
  }

  /** Adds subtasks one after another in the same inline field (type, Enter, keep typing). */
  async addSubtasks(titles: string[]): Promise<void> {
    await this.root.getByRole('button', { name: 'Add subtask' }).click()
    const input = this.root.getByLabel('Subtask title')
    for (const title of titles) {
      await input.fill(title)
      await input.press('Enter')
      await expect(this.subtask(title)).toBeVisible()
      await expect(input).toBeFocused()
    }
    await input.press('Escape')
  }

  /** Opens a subtask's own panel from the list. */
  async openSubtask(title: string): Promise<void> {
    await this.subtask(title).getByTestId('subtask-title').click()
    await expect(this.title).toHaveValue(title)
  }

  /** The ancestors above the title, the top-level one first. */
  get breadcrumb(): Locator {
    return this.root.getByRole('navigation', { name: 'Parent tasks' })
  }

  breadcrumbTitles(): Promise<string[]> {
    return this.breadcrumb.getByRole('button').allTextContents()
  }

  /** Chooses "Convert to subtask" in a checklist item's menu. */
  async convertChecklistItem(text: string): Promise<void> {
    await this.root.getByTestId('checklist').locator('li').filter({ hasText: text }).hover()
    await this.root.getByRole('button', { name: `More actions: ${text}` }).click()
    await this.page.getByRole('menuitem', { name: 'Convert to subtask' }).click()
  }

  async toggleAssignee(name: string): Promise<void> {
    await this.root.getByRole('button', { name }).click()
  }

  async moveToTrash(): Promise<void> {
    await this.root.getByRole('button', { name: 'Move to trash' }).click()
  }

  get comments(): Locator {
    return this.root.getByTestId('comment')
  }

  comment(text: string): Locator {
    return this.comments.filter({ hasText: text })
  }

  commentAuthor(text: string): Locator {
    return this.comment(text).getByTestId('comment-author')
  }

  mentionChips(text: string): Locator {
    return this.comment(text).getByTestId('mention-chip')
  }

  /** A comment's reaction button for `emoji` (a count once someone reacted). */
  reaction(text: string, emoji: string): Locator {
    return this.comment(text).getByRole('button', { name: `React ${emoji}` })
  }

  /** Every button of a comment (none for a viewer without reactions). */
  commentButtons(text: string): Locator {
    return this.comment(text).getByRole('button')
  }

  get deletedComments(): Locator {
    return this.root.getByTestId('comment-deleted')
  }

  get commentBox(): Locator {
    return this.root.getByLabel('Write a comment')
  }

  /** Types a comment; `@Name` segments are typed and chosen in the mention picker. */
  async writeComment(parts: Array<string | { mention: string }>): Promise<void> {
    await this.commentBox.click()
    for (const part of parts) {
      if (typeof part === 'string') {
        await this.commentBox.pressSequentially(part)
      } else {
        await this.commentBox.pressSequentially(`@${part.mention.slice(0, 2)}`)
        await this.page
          .getByTestId('mention-picker')
          .getByRole('option', { name: part.mention })
          .click()
      }
    }
    await this.commentBox.press('Enter')
  }

  async editComment(oldText: string, newText: string): Promise<void> {
    const c = this.comment(oldText)
    await c.hover()
    await c.getByRole('button', { name: 'Edit comment' }).click()
    const box = this.root.getByLabel('Edit comment text')
    await box.fill(newText)
    await box.press('Enter')
  }

  /** Types `@` + the start of `name` at the end of the description and picks the member. */
  async mentionInDescription(name: string): Promise<void> {
    await this.focusDescriptionEnd()
    await this.typeInDescription(` @${name.slice(0, 2)}`)
    await this.page.getByTestId('mention-picker').getByRole('option', { name }).click()
  }

  /** Chips of the members the description mentions. */
  get descriptionMentions(): Locator {
    return this.description.getByTestId('mention-chip')
  }

  async react(commentText: string, emoji: string): Promise<void> {
    const c = this.comment(commentText)
    await c.hover()
    await c.getByRole('button', { name: `React ${emoji}` }).click()
  }

  async deleteComment(commentText: string): Promise<void> {
    const c = this.comment(commentText)
    await c.hover()
    await c.getByRole('button', { name: 'Delete comment' }).click()
  }

  get watchButton(): Locator {
    return this.root.getByRole('button', { name: /^(Watch|Unwatch)$/ })
  }

  get activity(): Locator {
    return this.root.getByTestId('activity-entry')
  }

  /** The Relations section. */
  get relations(): Locator {
    return this.root.getByTestId('task-relations')
  }

  /** The related tasks listed under one kind (`blocked_by`, `blocks`, `relates_to`…). */
  relationsOf(kind: string): Locator {
    return this.relations.getByTestId(`relations-${kind}`).getByTestId('relation')
  }

  /** Adds a relation with the picker: the type by its label, the task by its title. */
  async addRelation(typeLabel: string, taskTitle: string): Promise<void> {
    await this.relations.getByRole('button', { name: 'Add relation' }).click()
    await this.relations.getByLabel('Relation type').selectOption({ label: typeLabel })
    await this.relations.getByLabel('Find a task').fill(taskTitle)
    await this.relations
      .getByRole('list', { name: 'Matching tasks' })
      .getByRole('button', { name: taskTitle, exact: true })
      .click()
  }

  async close(): Promise<void> {
    await this.root.getByRole('button', { name: 'Close task' }).click()
    await this.root.waitFor({ state: 'detached' })
  }
}
