import { BOARD_LOCAL_ORIGIN, initBoard, readMeta, SCHEMA_VERSION } from '@taskflow/board'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { undoManagerOf } from '../features/board/undo'
import { BOARD_MIGRATION_ORIGIN, createBoardSchemaStore } from './board-schema'

/** A board as a client of `version` saved it (the steps to v3 rewrite nothing). */
function boardAt(version: number): Y.Doc {
  const doc = new Y.Doc()
  initBoard(doc, { name: 'Old board' })
  doc.getMap('meta').set('schemaVersion', version)
  return doc
}

function updatesOf(doc: Y.Doc): unknown[] {
  const origins: unknown[] = []
  doc.on('update', (_u: Uint8Array, origin: unknown) => origins.push(origin))
  return origins
}

describe('opening a board (document-schema.md B3)', () => {
  it('migrates a v2 board when its local copy is loaded, off the undo stack', () => {
    const doc = boardAt(2)
    const um = undoManagerOf(doc)
    um.clear()
    const origins = updatesOf(doc)
    const schema = createBoardSchemaStore(doc)
    expect(schema.get()).toBe('pending')
    schema.start()
    expect(schema.get()).toBe('ready')
    expect(readMeta(doc).schemaVersion).toBe(SCHEMA_VERSION)
    expect(origins).toEqual([BOARD_MIGRATION_ORIGIN])
    expect(um.canUndo()).toBe(false)
  })

  it('migrates an empty copy once the server sync brings a v2 board, and the migration is an update of its own', () => {
    const doc = new Y.Doc()
    const schema = createBoardSchemaStore(doc)
    schema.start()
    expect(schema.get()).toBe('pending')
    const origins = updatesOf(doc)
    const server = { name: 'provider' }
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(boardAt(2)), server)
    expect(schema.get()).toBe('ready')
    expect(readMeta(doc).schemaVersion).toBe(SCHEMA_VERSION)
    // Sent to the server (y-websocket drops only updates whose origin is the provider).
    expect(origins).toEqual([server, BOARD_MIGRATION_ORIGIN])
  })

  it('reports a board of a newer schema and writes nothing to it', () => {
    const doc = boardAt(SCHEMA_VERSION + 1)
    const origins = updatesOf(doc)
    const schema = createBoardSchemaStore(doc)
    let notified = 0
    schema.subscribe(() => notified++)
    schema.start()
    expect(schema.get()).toBe('newer_schema')
    expect(notified).toBe(1)
    expect(readMeta(doc).schemaVersion).toBe(SCHEMA_VERSION + 1)
    expect(origins).toEqual([])
  })

  it('turns read-only when a teammate on a newer TaskFlow migrates the open board', () => {
    const doc = boardAt(SCHEMA_VERSION)
    const schema = createBoardSchemaStore(doc)
    schema.start()
    expect(schema.get()).toBe('ready')
    const other = new Y.Doc()
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc))
    const before = Y.encodeStateVector(other)
    other.getMap('meta').set('schemaVersion', SCHEMA_VERSION + 1)
    const origins = updatesOf(doc)
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other, before), 'remote')
    expect(schema.get()).toBe('newer_schema')
    expect(origins).toEqual(['remote'])
    expect(origins).not.toContain(BOARD_LOCAL_ORIGIN)
  })
})
