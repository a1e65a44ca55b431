export * from './auth.js'
export * from './close-codes.js'
export * from './errors.js'
export * from './projects.js'
