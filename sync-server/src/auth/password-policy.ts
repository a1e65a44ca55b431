import { ZxcvbnFactory } from '@zxcvbn-ts/core'
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common'

/**
 * Refuses passwords an attacker would guess early: the common and breached passwords of
 * `@zxcvbn-ts/language-common` (and small variations of them), keyboard walks, repeats,
 * sequences, dates, and the user's own name or e-mail. zxcvbn scores 0–4 by the guesses
 * needed; 3 means about 10^8 or more, out of reach of online guessing and costly offline
 * against our argon2id hashes.
 */
export type PasswordVerdict = { ok: true } | { ok: false; message: string }

// Only the first characters are scored: a longer password is strong when its start is,
// and zxcvbn's l33t and dictionary matching grows steeply with length (a 240-character
// l33t password took 0.6 s at the default 256). With these two caps the worst inputs we
// measured take under 20 ms, about the cost of one argon2 hash.
const SCORED_LENGTH = 64
const MAX_L33T_SUBSTITUTIONS = 10

let zxcvbn: ZxcvbnFactory | undefined
// Built on first use, once per process: ranking the dictionaries takes ~50–100 ms.
const checker = () =>
  (zxcvbn ??= new ZxcvbnFactory({
    dictionary,
    graphs: adjacencyGraphs,
    maxLength: SCORED_LENGTH,
    l33tMaxSubstitutions: MAX_L33T_SUBSTITUTIONS,
  }))

/** Why, per zxcvbn warning key (`@zxcvbn-ts/core` translationKeys.warnings). */
const WHY: Record<string, string> = {
  topTen: 'it is one of the most common passwords',
  topHundred: 'it is one of the most common passwords',
  common: 'it is on lists of common and leaked passwords',
  pwned: 'it is on lists of common and leaked passwords',
  similarToCommon: 'it is a small variation of a common password',
  wordByItself: 'a single word is easy to guess',
  namesByThemselves: 'names are easy to guess',
  commonNames: 'common names are easy to guess',
  userInputs: 'it contains your name or e-mail address',
  straightRow: 'keyboard patterns are easy to guess',
  keyPattern: 'keyboard patterns are easy to guess',
  simpleRepeat: 'repeated characters are easy to guess',
  extendedRepeat: 'repeated words or characters are easy to guess',
  sequences: 'sequences like "abc" or "1234" are easy to guess',
  recentYears: 'recent years are easy to guess',
  dates: 'dates are easy to guess',
}

const HOW =
  'Choose a longer one, for example three or four unrelated words, ' +
  'and avoid names, dates and keyboard patterns'

/**
 * Judges a new password. `userInputs` are the account's own words (e-mail, name), which a
 * targeted attacker tries first. `minScore` 0 accepts every password.
 * @example checkPassword('12345678', ['ann@example.org', 'Ann'], 3) // { ok: false, message: 'This password is too easy to guess: …' }
 */
export function checkPassword(
  password: string,
  userInputs: readonly string[],
  minScore: number,
): PasswordVerdict {
  if (minScore <= 0) return { ok: true }
  const words = userInputs
    .flatMap((s) => [s, ...s.split(/[@.\s_+-]+/)])
    .filter((s) => s.length >= 3)
  const result = checker().check(password, words)
  if (result.score >= minScore) return { ok: true }
  const why = (result.feedback.warning && WHY[result.feedback.warning]) || 'it is too predictable'
  return { ok: false, message: `This password is too easy to guess: ${why}. ${HOW}.` }
}
