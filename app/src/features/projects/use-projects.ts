import { useCallback, useEffect, useState } from 'react'
import { z } from 'zod'
import { ApiError, errorMessage } from '../../api/client'
import { listProjects } from '../../api/projects.api'
import { type Project, projectSchema } from '../../api/schemas'
import { useRequiredSession } from '../../auth/use-session'
import { readCache, writeCache } from '../../sync/local-cache'

const CACHE_KEY = 'projects'
const cachedProjectsSchema = z.array(projectSchema)

export interface ProjectsState {
  projects: Project[] | null
  error: string | null
  /** True when showing the copy saved on this device because the server is unreachable. */
  offline: boolean
  reload: () => void
}

/** The signed-in user's projects: from the server, else the last copy seen on this device. */
export function useProjects(): ProjectsState {
  const { user } = useRequiredSession()
  const [projects, setProjects] = useState<Project[] | null>(() =>
    readCache(user.id, CACHE_KEY, cachedProjectsSchema),
  )
  const [error, setError] = useState<string | null>(null)
  const [offline, setOffline] = useState(false)
  const [generation, setGeneration] = useState(0)

  // biome-ignore lint/correctness/useExhaustiveDependencies: `generation` is the reload trigger
  useEffect(() => {
    let cancelled = false
    listProjects().then(
      (list) => {
        if (cancelled) return
        writeCache(user.id, CACHE_KEY, list)
        setProjects(list)
        setError(null)
        setOffline(false)
      },
      (err) => {
        if (cancelled) return
        if (err instanceof ApiError && err.isNetwork) setOffline(true)
        else setError(errorMessage(err))
      },
    )
    return () => {
      cancelled = true
    }
  }, [user.id, generation])

  const reload = useCallback(() => setGeneration((g) => g + 1), [])
  return { projects, error, offline, reload }
}

/** One project's summary (name, my role), from the cached list first, then the server. */
export function useProjectSummary(projectId: string): Project | null {
  const { projects } = useProjects()
  return projects?.find((p) => p.id === projectId) ?? null
}
