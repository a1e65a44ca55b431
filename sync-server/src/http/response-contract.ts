import { API_ROUTES, isJsonResponse, matchRoute, type RouteContract } from '@taskflow/api'
import type { MiddlewareHandler } from 'hono'

/**
 * Checks every answer of an `/api/v1` route against the route registry of `@taskflow/api`:
 * its status must be documented, and its body must match the schema for that status with no
 * undocumented field. Each problem goes to `report` as one line; the answer itself is passed
 * on unchanged. Opt-in (tests install it, so every API test doubles as a contract test);
 * requests to paths the registry does not know are left to the route-coverage test.
 */
export function responseContract(
  report: (problem: string) => void,
  routes: readonly RouteContract[] = API_ROUTES,
): MiddlewareHandler {
  return async (c, next) => {
    await next()
    const route = matchRoute(routes, c.req.method, c.req.path.slice('/api/v1'.length))
    if (!route) return
    const res = c.res
    const where = `${c.req.method} ${c.req.path} (${route.operationId}) answered ${res.status}`
    const spec = route.responses[res.status]
    if (!spec) return report(`${where}: status not documented`)
    const type = res.headers.get('content-type') ?? ''
    if (spec.headers) {
      const headers = Object.fromEntries(
        Object.keys(spec.headers.shape).flatMap((name) => {
          const value = res.headers.get(name)
          return value === null ? [] : [[name, value]]
        }),
      )
      const parsed = spec.headers.safeParse(headers)
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
        report(`${where}: headers do not match their schema: ${issues.join('; ')}`)
      }
    }
    if (!isJsonResponse(spec)) {
      const types = spec.contentType
        ? [spec.contentType, ...Object.keys(spec.alternatives ?? {})]
        : []
      if (types.length && !types.some((t) => type.startsWith(t))) {
        return report(`${where}: content-type ${type}, documented ${types.join(' or ')}`)
      }
      // A stream is never read here: it would hold the answer open.
      if (!spec.contentType && (await res.clone().text()) !== '') {
        return report(`${where}: a body, documented without one`)
      }
      return
    }
    // Another documented content type (`?format=csv`): its text has no schema to check.
    const alternatives = Object.keys(spec.alternatives ?? {})
    if (alternatives.some((t) => type.startsWith(t))) return
    if (!type.includes('application/json')) {
      const documented = ['JSON', ...alternatives].join(' or ')
      return report(`${where}: content-type ${type || 'none'}, documented ${documented}`)
    }
    let body: unknown
    try {
      body = await res.clone().json()
    } catch {
      return report(`${where}: the body is not JSON`)
    }
    const parsed = spec.schema.safeParse(body)
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      return report(`${where}: body does not match its schema: ${issues.join('; ')}`)
    }
    const extra = undocumentedFields(body, parsed.data)
    if (extra.length) report(`${where}: undocumented fields ${extra.join(', ')}`)
  }
}

/** Paths of fields in `input` that parsing dropped (zod objects strip unknown keys). */
function undocumentedFields(input: unknown, output: unknown, path = ''): string[] {
  if (Array.isArray(input) && Array.isArray(output)) {
    return input.flatMap((v, i) => undocumentedFields(v, output[i], `${path}[${i}]`))
  }
  if (isObject(input) && isObject(output)) {
    return Object.keys(input).flatMap((k) => {
      const at = path ? `${path}.${k}` : k
      return k in output ? undocumentedFields(input[k], output[k], at) : [at]
    })
  }
  return []
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
