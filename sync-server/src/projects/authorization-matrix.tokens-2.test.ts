import { describeTokenMatrix } from '../test/authorization-matrix.js'

// Part 2 of the authorization matrix for personal API tokens (table and rules:
// src/test/authorization-matrix.ts). ~1,200 tests, each in a fresh world: in
// files of their own, vitest runs them beside the rest of the suite instead of after it.
describeTokenMatrix(1, 2)
