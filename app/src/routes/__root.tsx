import { createRootRoute, Link, Outlet } from '@tanstack/react-router'

export const rootRoute = createRootRoute({
  component: () => <Outlet />,
  notFoundComponent: () => (
    <main className="mx-auto max-w-md p-10 text-center">
      <h1 className="text-xl font-semibold">Page not found</h1>
      <Link to="/projects" className="mt-4 inline-block text-indigo-600 hover:underline">
        Back to your projects
      </Link>
    </main>
  ),
})
