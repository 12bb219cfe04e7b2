// The story wizard's details step: the same limits as the API, said in words.
import {z} from 'zod'

export const storyDetailsSchema = z.object({
  title: z.string().trim().min(1, 'Give the story a title.').max(120, 'A title has at most 120 characters.'),
  theme: z.string().max(200, 'At most 200 characters.'),
  targetAge: z.string().regex(/^\d{1,2}(-\d{1,2})?$/, 'Choose an age range.'),
  pageCount: z
    .number({message: 'Enter a number of pages.'})
    .int('Whole pages only.')
    .min(1, 'At least 1 page.')
    .max(24, 'At most 24 pages.'),
})
export type StoryDetailsValues = z.infer<typeof storyDetailsSchema>
