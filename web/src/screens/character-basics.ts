// The character wizard's first step: the same limits as the API, said in words.
import {z} from 'zod'

export const basicsSchema = z.object({
  name: z.string().trim().min(1, 'Give your character a name.').max(60, 'A name has at most 60 characters.'),
  description: z.string().max(1000, 'At most 1000 characters.'),
})
export type BasicsValues = z.infer<typeof basicsSchema>
