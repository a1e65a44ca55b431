import { getTask, listFields, renderFieldValue } from '@taskflow/board'
import { describe, expect, it } from 'vitest'
import { client, collabWorld, json, poll } from '../test/collab.js'

const fieldsOf = (projectId: string) => `/projects/${projectId}/fields`
const tasksOf = (projectId: string) => `/projects/${projectId}/tasks`

async function stageWorld() {
  const w = await collabWorld()
  const { server, projectId, ann } = w
  const created = await json(server, 'POST', fieldsOf(projectId), ann.token, {
    name: 'Stage',
    type: 'single_select',
    showOnCard: true,
    options: [
      { name: 'Spec', color: '#3b82f6' },
      { name: 'Build', color: '#22c55e' },
    ],
  })
  expect(created.status).toBe(201)
  const stage = created.body as { id: string; options: { id: string; name: string }[] }
  const [spec, build] = stage.options.map((o) => o.id) as [string, string]
  return { ...w, stage: stage.id, spec, build }
}

describe('custom fields API', () => {
  it('admins define fields, members read them, and members and strangers cannot define them', async () => {
    const { server, projectId, ann, bob, eve, stage } = await stageWorld()
    const listed = await json(server, 'GET', fieldsOf(projectId), bob.token)
    expect(listed.status).toBe(200)
    expect(listed.body.fields).toMatchObject([
      { id: stage, name: 'Stage', type: 'single_select', showOnCard: true, position: 0 },
    ])
    const byMember = await json(server, 'POST', fieldsOf(projectId), bob.token, {
      name: 'Cost',
      type: 'number',
    })
    expect(byMember.status).toBe(403)
    expect((await json(server, 'GET', fieldsOf(projectId), eve.token)).status).toBe(403)
    const bad = await json(server, 'POST', fieldsOf(projectId), ann.token, {
      name: 'Cost',
      type: 'money',
    })
    expect(bad.status).toBe(400)
    expect(bad.body.error.code).toBe('validation_failed')
    // Options on a non-select field: refused by the board, nothing created.
    const opts = await json(server, 'POST', fieldsOf(projectId), ann.token, {
      name: 'Cost',
      type: 'number',
      options: [{ name: 'x', color: '#000000' }],
    })
    expect(opts.status).toBe(400)
    expect((await json(server, 'GET', fieldsOf(projectId), bob.token)).body.fields).toHaveLength(1)
  })

  it('a PATCH with an unknown option changes nothing; a good one renames, adds and removes options at once', async () => {
    const { server, projectId, ann, stage, spec, build } = await stageWorld()
    const bad = await json(server, 'PATCH', `${fieldsOf(projectId)}/${stage}`, ann.token, {
      name: 'Phase',
      removeOptions: ['nope'],
    })
    expect(bad.status).toBe(400)
    const after = await json(server, 'GET', fieldsOf(projectId), ann.token)
    expect(after.body.fields[0].name).toBe('Stage')
    const good = await json(server, 'PATCH', `${fieldsOf(projectId)}/${stage}`, ann.token, {
      name: 'Phase',
      updateOptions: [{ id: build, name: 'Make' }],
      removeOptions: [spec],
      addOptions: [{ name: 'Ship', color: '#eab308' }],
    })
    expect(good.status).toBe(200)
    expect(good.body).toMatchObject({
      name: 'Phase',
      options: [{ name: 'Make' }, { name: 'Ship' }],
    })
    const del = await json(server, 'DELETE', `${fieldsOf(projectId)}/${stage}`, ann.token)
    expect(del.status).toBe(204)
    expect((await json(server, 'GET', fieldsOf(projectId), ann.token)).body.fields).toEqual([])
    expect(
      (await json(server, 'DELETE', `${fieldsOf(projectId)}/${stage}`, ann.token)).status,
    ).toBe(404)
  })

  it('the task API takes values checked by type and shows them; a bad value creates nothing', async () => {
    const { server, projectId, ann, bob, eve, stage, spec } = await stageWorld()
    const cost = (
      await json(server, 'POST', fieldsOf(projectId), ann.token, { name: 'Cost', type: 'number' })
    ).body.id as string
    const owner = (
      await json(server, 'POST', fieldsOf(projectId), ann.token, { name: 'Owner', type: 'person' })
    ).body.id as string
    const before = (await json(server, 'GET', tasksOf(projectId), bob.token)).body.tasks.length

    for (const fields of [
      { [cost]: 'twelve' },
      { [stage]: 'no-such-option' },
      { unknownfield: 1 },
      { [owner]: eve.id },
    ]) {
      const r = await json(server, 'POST', tasksOf(projectId), bob.token, { title: 'T', fields })
      expect(r.status, JSON.stringify(fields)).toBe(400)
      expect(r.body.error.code).toBe('validation_failed')
    }
    expect((await json(server, 'GET', tasksOf(projectId), bob.token)).body.tasks).toHaveLength(
      before,
    )

    const created = await json(server, 'POST', tasksOf(projectId), bob.token, {
      title: 'Pricing page',
      fields: { [stage]: spec, [cost]: 12.5, [owner]: bob.id },
    })
    expect(created.status).toBe(201)
    expect(created.body.fields).toEqual({ [stage]: spec, [cost]: 12.5, [owner]: bob.id })
    const id = created.body.id as string
    const patched = await json(server, 'PATCH', `${tasksOf(projectId)}/${id}`, bob.token, {
      fields: { [cost]: null },
    })
    expect(patched.status).toBe(200)
    expect(patched.body.fields).toEqual({ [stage]: spec, [owner]: bob.id })

    // A synced client sees the definition and the value, as the app renders it.
    const c = await client(server, projectId, ann)
    const field = listFields(c.doc).find((f) => f.id === stage)!
    expect(renderFieldValue(field, getTask(c.doc, id)!.fields[stage])).toMatchObject({
      text: 'Spec',
    })
    c.destroy()
  })
})

describe('reports grouped by a single-select field', () => {
  it('workload and cumulative flow count open tasks per option, removed options and no value apart', async () => {
    const { server, projectId, ann, stage, spec, build } = await stageWorld()
    const make = async (title: string, value: string | null) => {
      const r = await json(server, 'POST', tasksOf(projectId), ann.token, {
        title,
        estimate: 2,
        ...(value ? { fields: { [stage]: value } } : {}),
      })
      expect(r.status).toBe(201)
      return r.body.id as string
    }
    await make('a', spec)
    await make('b', spec)
    await make('c', build)
    await make('d', null)
    const workload = `/projects/${projectId}/reports/workload?groupBy=field:${stage}`
    const counts = (body: any) =>
      Object.fromEntries(body.groups.map((g: any) => [g.name, g.openTasks]))
    const total = (b: any) => b.groups.reduce((n: number, g: any) => n + g.openTasks, 0)
    const first = await poll(server, workload, ann.token, (b) => total(b) === 4)
    expect(counts(first)).toEqual({ Spec: 2, Build: 1, 'No value': 1 })
    expect(first.groups[0]).toMatchObject({ key: spec, color: '#3b82f6', openEstimate: 4 })

    // Removing an option: its tasks keep the value and count as "Removed option".
    const removed = await json(server, 'PATCH', `${fieldsOf(projectId)}/${stage}`, ann.token, {
      removeOptions: [spec],
    })
    expect(removed.status).toBe(200)
    const after = await poll(server, workload, ann.token, (b) => counts(b).Spec === undefined)
    expect(counts(after)).toEqual({ Build: 1, 'Removed option': 2, 'No value': 1 })

    const cfd = await json(
      server,
      'GET',
      `/projects/${projectId}/reports/cumulative-flow?groupBy=field:${stage}&from=2026-11-01&to=2026-11-02`,
      ann.token,
    )
    expect(cfd.status).toBe(200)
    const lastDay = Object.fromEntries(
      cfd.body.groups.map((g: any) => [g.name, g.days.at(-1).todo]),
    )
    expect(lastDay).toEqual({ Build: 1, 'Removed option': 2, 'No value': 1 })
    expect(cfd.body.days.at(-1).todo).toBe(4)

    const cost = (
      await json(server, 'POST', fieldsOf(projectId), ann.token, { name: 'Cost', type: 'number' })
    ).body.id as string
    const bad = await json(
      server,
      'GET',
      `/projects/${projectId}/reports/workload?groupBy=field:${cost}`,
      ann.token,
    )
    expect(bad.status).toBe(400)
    expect(bad.body.error.code).toBe('validation_failed')
  })
})
