import { defineConfig } from 'vitest/config'

// Property tests are CPU-bound and CI shares 2 cores: the per-test limit only catches
// hangs, it is not a speed assertion (vitest's 5 s default failed under load).
export default defineConfig({
  test: { testTimeout: 120_000 },
})
