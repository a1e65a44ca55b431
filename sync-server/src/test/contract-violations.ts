/**
 * Answers of the test servers that break the API contract (packages/api), recorded by the
 * `responseContract` middleware every test server installs; `contract-setup.ts` fails the
 * test that produced them.
 */
const violations: string[] = []

/** Pass as `checkResponses` to `createApp` / `startServer`. */
export function recordContractViolation(problem: string): void {
  violations.push(problem)
}

/** The violations recorded since the last call. */
export function takeContractViolations(): string[] {
  return violations.splice(0)
}
