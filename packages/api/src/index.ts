export * from './close-codes.js'
export * from './errors.js'
