// SETUP_CMD for the shared harness (run-all.sh): on a fresh server at $PORT, registers a
// user and creates a project, then prints TOKEN= and ROOM= so the relay runs as a signed-in
// member — the path on which every update passes the authorship check.
const base = `http://127.0.0.1:${process.env.PORT}/api/v1`

async function post(path, body, token) {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  })
  if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`)
  return res.json()
}

const id = Math.random().toString(36).slice(2, 10)
const { token } = await post('/auth/register', {
  email: `bench-${id}@example.org`,
  password: 'benchmark password',
  name: 'Bench',
})
const project = await post('/projects', { name: `bench ${id}` }, token)
console.log(`TOKEN=${token}`)
console.log(`ROOM=${project.id}`)
