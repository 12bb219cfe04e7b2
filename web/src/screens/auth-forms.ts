// The sign-up and log-in forms' schemas: the same limits the API checks, said in words.
import {z} from 'zod'

const email = z
  .string()
  .trim()
  .min(1, 'Enter your email address.')
  .email('Enter an email address like name@example.com.')

export const loginSchema = z.object({
  email,
  password: z.string().min(1, 'Enter your password.'),
})
export type LoginValues = z.infer<typeof loginSchema>

export const signupSchema = z.object({
  displayName: z.string().trim().min(1, 'Enter the name to show.').max(60, 'At most 60 characters.'),
  email,
  password: z.string().min(8, 'At least 8 characters.').max(200, 'At most 200 characters.'),
})
export type SignupValues = z.infer<typeof signupSchema>
