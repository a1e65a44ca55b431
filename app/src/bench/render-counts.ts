/**
 * Render counts read from outside the components: React calls the DevTools hook
 * (`__REACT_DEVTOOLS_GLOBAL_HOOK__.onCommitFiberRoot`) after every commit, production build
 * included, and each committed fiber says whether it rendered. Used by the benchmark build
 * (bench-hooks.ts) and by tests; nothing in the product imports it.
 */

/** The parts of a React fiber counting needs (React internals, unchanged since React 16). */
interface Fiber {
  type: unknown
  flags: number
  alternate: Fiber | null
  child: Fiber | null
  sibling: Fiber | null
}

/** The DevTools hook as React uses it; define it before React loads. */
export interface DevtoolsHook {
  supportsFiber: true
  renderers: Map<number, unknown>
  inject: () => number
  onCommitFiberRoot: (id: number, root: { current: Fiber }, ...rest: unknown[]) => void
  onCommitFiberUnmount: () => void
  onPostCommitFiberRoot: () => void
  checkDCE: () => void
}

/** A hook that does nothing but lets React report commits (define it before React loads). */
export function devtoolsHook(): DevtoolsHook {
  return {
    supportsFiber: true,
    renderers: new Map(),
    inject: () => 1,
    onCommitFiberRoot: () => {},
    onCommitFiberUnmount: () => {},
    onPostCommitFiberRoot: () => {},
    checkDCE: () => {},
  }
}

// ReactFiberFlags.PerformedWork: the component's function ran in this render.
const PERFORMED_WORK = 1

/**
 * Adds to `renders[key]` one per component named in `names` (function name → key) that
 * rendered in the commit of `root`. Subtrees React did not enter keep their previous
 * children (as React DevTools relies on), so they are skipped: a single-card edit costs a
 * walk down to that card, not of the whole board.
 */
export function countCommit(
  root: Fiber,
  names: Readonly<Record<string, string>>,
  renders: Record<string, number>,
): void {
  const stack: Fiber[] = [root]
  while (stack.length > 0) {
    const f = stack.pop()!
    const name = typeof f.type === 'function' ? (f.type as { name?: string }).name : undefined
    const key = name ? names[name] : undefined
    if (key && (f.alternate === null || (f.flags & PERFORMED_WORK) !== 0)) {
      renders[key] = (renders[key] ?? 0) + 1
    }
    if (f.child && (f.alternate === null || f.child !== f.alternate.child)) {
      for (let c: Fiber | null = f.child; c; c = c.sibling) stack.push(c)
    }
  }
}

/** Counts renders of `names` into `renders` from now on; returns a function that stops. */
export function watchRenders(
  hook: DevtoolsHook,
  names: Readonly<Record<string, string>>,
  renders: () => Record<string, number>,
): () => void {
  const previous = hook.onCommitFiberRoot
  hook.onCommitFiberRoot = (id, root, ...rest) => {
    previous(id, root, ...rest)
    countCommit(root.current, names, renders())
  }
  return () => {
    hook.onCommitFiberRoot = previous
  }
}

/**
 * What the benchmarks count (component function names: the benchmark build keeps them).
 * `card` and `column` are the dnd-kit sortable shells, which dnd-kit re-renders on every drag
 * state change and on every reorder of their list; `cardBody` and `columnBody` are what they
 * show, which re-render only when that task or column changes.
 */
export const COUNTED: Readonly<Record<string, string>> = {
  Board: 'board',
  BoardColumn: 'column',
  ColumnContent: 'columnBody',
  TaskCard: 'card',
  TaskCardBody: 'cardBody',
  ListView: 'list',
  ListRow: 'listRow',
}
