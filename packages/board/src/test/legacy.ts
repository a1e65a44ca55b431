import * as Y from 'yjs'
import { newId } from '../ids.js'
import { roots } from '../schema.js'

/**
 * Writes a task exactly as schema v1 did (a plain `description` Y.Text, no `body`), the
 * shape every task created before rich-text descriptions still has. Frozen here on
 * purpose: it must not follow later changes of createTask.
 */
export function writeV1Task(
  doc: Y.Doc,
  input: { columnId: string; title: string; description: string; order?: string },
): string {
  const id = newId()
  doc.transact(() => {
    const task = new Y.Map<unknown>()
    task.set('title', new Y.Text(input.title))
    task.set('description', new Y.Text(input.description))
    task.set('placement', {
      columnId: input.columnId,
      order: input.order ?? 'a0',
      completedAt: null,
    })
    task.set('assignees', new Y.Map())
    task.set('labels', new Y.Map())
    task.set('checklist', new Y.Map())
    task.set('comments', new Y.Map())
    task.set('priority', 'none')
    task.set('startDate', null)
    task.set('dueDate', null)
    task.set('estimate', null)
    task.set('createdAt', 1)
    task.set('createdBy', null)
    task.set('updatedAt', 1)
    task.set('deletedAt', null)
    roots(doc).tasks.set(id, task)
  })
  return id
}

/** Sets the stored schema version, as a board last written by an older release has it. */
export function setStoredVersion(doc: Y.Doc, version: number): void {
  roots(doc).meta.set('schemaVersion', version)
}
