import { apiRequest } from './client'
import { okSchema, sessionResponseSchema, unwrap, userSchema } from './schemas'

export const register = (body: { email: string; password: string; name: string }) =>
  apiRequest('/auth/register', { method: 'POST', body, schema: sessionResponseSchema })

export const login = (body: { email: string; password: string }) =>
  apiRequest('/auth/login', { method: 'POST', body, schema: sessionResponseSchema })

export const logout = () => apiRequest('/auth/logout', { method: 'POST', schema: okSchema })

export const getMe = () => apiRequest('/me', { schema: unwrap('user', userSchema) })

export const updateMe = (patch: { name?: string; email?: string }) =>
  apiRequest('/me', { method: 'PATCH', body: patch, schema: unwrap('user', userSchema) })
