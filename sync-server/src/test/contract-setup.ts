import { afterEach } from 'vitest'
import { takeContractViolations } from './contract-violations.js'

// A vitest setup file (vitest.config.ts): registered before each test file's own hooks, so it
// runs after them (hooks unwind like a stack) — answers given while servers close count too.
afterEach(() => {
  const violations = takeContractViolations()
  if (violations.length > 0) {
    throw new Error(
      `API answers that do not match the route registry of @taskflow/api:\n- ${violations.join('\n- ')}`,
    )
  }
})
