import { Link } from '@tanstack/react-router'
import { Archive, ArchiveRestore, Pencil, Settings, Upload } from 'lucide-react'
import { type FormEvent, useState } from 'react'
import { errorMessage } from '../../api/client'
import {
  archiveProject,
  createProject,
  restoreProject,
  updateProject,
} from '../../api/projects.api'
import type { Project } from '../../api/schemas'
import { Button, EmptyState, ErrorNote, Input, Spinner } from '../../ui/primitives'
import { useProjects } from './use-projects'

export function ProjectsPage() {
  const { projects, error, offline, reload } = useProjects()
  const [actionError, setActionError] = useState<string | null>(null)
  const [showArchived, setShowArchived] = useState(false)

  async function run(action: () => Promise<unknown>) {
    setActionError(null)
    try {
      await action()
      reload()
    } catch (err) {
      setActionError(errorMessage(err))
    }
  }

  const visible = (projects ?? []).filter((p) => (p.archivedAt !== null) === showArchived)

  return (
    <main className="mx-auto w-full max-w-4xl space-y-6 p-4 sm:p-8">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-bold tracking-tight">Projects</h1>
          {offline && (
            <p className="text-sm text-amber-600" data-testid="projects-offline">
              Offline — showing the projects saved on this device.
            </p>
          )}
        </div>
        <div className="flex items-center gap-4">
          {!offline && (
            <Link
              to="/projects/import"
              className="inline-flex items-center gap-1 text-sm font-medium text-indigo-600 hover:underline"
            >
              <Upload className="size-4" /> Import
            </Link>
          )}
          <label className="flex items-center gap-2 text-sm text-slate-600 dark:text-slate-400">
            <input
              type="checkbox"
              checked={showArchived}
              onChange={(e) => setShowArchived(e.target.checked)}
            />
            Show archived
          </label>
        </div>
      </div>
      {!offline && <CreateProjectForm onCreate={(body) => run(() => createProject(body))} />}
      <ErrorNote message={error ?? actionError} />
      {projects === null && !error && <Spinner label="Loading projects" />}
      {projects !== null && visible.length === 0 && (
        <EmptyState title={showArchived ? 'No archived projects' : 'No projects yet'}>
          {!showArchived && 'Create your first project above to get a board.'}
        </EmptyState>
      )}
      <ul className="grid gap-3 sm:grid-cols-2" aria-label="Projects">
        {visible.map((p) => (
          <ProjectCard
            key={p.id}
            project={p}
            canManage={!offline && (p.role === 'owner' || p.role === 'admin')}
            onRename={(name) => run(() => updateProject(p.id, { name }))}
            onArchive={() => run(() => archiveProject(p.id))}
            onRestore={() => run(() => restoreProject(p.id))}
          />
        ))}
      </ul>
    </main>
  )
}

function CreateProjectForm(props: {
  onCreate: (body: { name: string; description: string }) => Promise<void>
}) {
  const [name, setName] = useState('')
  async function onSubmit(e: FormEvent) {
    e.preventDefault()
    if (!name.trim()) return
    await props.onCreate({ name: name.trim(), description: '' })
    setName('')
  }
  return (
    <form onSubmit={onSubmit} className="flex gap-2" aria-label="New project">
      <Input
        aria-label="New project name"
        placeholder="New project name"
        value={name}
        onChange={(e) => setName(e.target.value)}
      />
      <Button type="submit" disabled={!name.trim()}>
        Create
      </Button>
    </form>
  )
}

function ProjectCard(props: {
  project: Project
  canManage: boolean
  onRename: (name: string) => Promise<void>
  onArchive: () => Promise<void>
  onRestore: () => Promise<void>
}) {
  const { project } = props
  const [editing, setEditing] = useState(false)
  const [name, setName] = useState(project.name)

  return (
    <li
      className="group rounded-lg border border-slate-200 bg-white p-4 shadow-sm transition-shadow hover:shadow-md dark:border-slate-800 dark:bg-slate-900"
      data-testid="project-card"
    >
      {editing ? (
        <form
          className="flex gap-2"
          onSubmit={async (e) => {
            e.preventDefault()
            await props.onRename(name.trim())
            setEditing(false)
          }}
        >
          <Input
            aria-label="Project name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            autoFocus
          />
          <Button type="submit" size="sm">
            Save
          </Button>
        </form>
      ) : (
        <Link
          to="/projects/$projectId"
          params={{ projectId: project.id }}
          className="block text-lg font-semibold hover:text-indigo-600"
        >
          {project.name}
        </Link>
      )}
      {project.description && <p className="mt-1 text-sm text-slate-500">{project.description}</p>}
      <div className="mt-3 flex items-center gap-1">
        <span className="rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium capitalize text-slate-600 dark:bg-slate-800 dark:text-slate-300">
          {project.role}
        </span>
        <div className="flex-1" />
        {props.canManage && !editing && (
          <Button
            variant="ghost"
            size="sm"
            aria-label={`Rename ${project.name}`}
            onClick={() => setEditing(true)}
          >
            <Pencil className="size-4" />
          </Button>
        )}
        <Link
          to="/projects/$projectId/settings"
          params={{ projectId: project.id }}
          aria-label={`Settings of ${project.name}`}
          className="rounded-md p-2 text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"
        >
          <Settings className="size-4" />
        </Link>
        {props.canManage &&
          (project.archivedAt === null ? (
            <Button
              variant="ghost"
              size="sm"
              aria-label={`Archive ${project.name}`}
              onClick={props.onArchive}
            >
              <Archive className="size-4" />
            </Button>
          ) : (
            <Button
              variant="ghost"
              size="sm"
              aria-label={`Restore ${project.name}`}
              onClick={props.onRestore}
            >
              <ArchiveRestore className="size-4" />
            </Button>
          ))}
      </div>
    </li>
  )
}
