import { z } from 'zod'
import { defineRoute } from './registry.js'

/** The API describing itself. */
export const META_ROUTES = [
  defineRoute({
    method: 'get',
    path: '/openapi.json',
    tag: 'Reference',
    auth: 'none',
    summary: 'This OpenAPI 3.1 document',
    description: 'Generated from the route registry of `@taskflow/api`. Browse it at `/api/docs`.',
    responses: {
      200: {
        description: 'The document',
        schema: z
          .object({ openapi: z.string(), info: z.object({}).loose(), paths: z.object({}).loose() })
          .loose(),
      },
    },
  }),
]
