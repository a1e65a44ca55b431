import type { ReactNode } from 'react'

/** The centred card with the logo that every signed-out page (log in, reset, invitation) uses. */
export function AuthLayout(props: { children: ReactNode }) {
  return (
    <main className="flex min-h-dvh items-center justify-center p-4">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex items-center justify-center gap-2">
          <img src="/icons/icon.svg" alt="" className="size-9" />
          <span className="text-2xl font-bold tracking-tight">TaskFlow</span>
        </div>
        <div className="space-y-4 rounded-xl border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900">
          {props.children}
        </div>
      </div>
    </main>
  )
}

export const linkClass = 'font-medium text-indigo-600 hover:underline'
