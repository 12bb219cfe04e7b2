// The migration an explicit `--baseline` names: its full name or its number, as `--to` takes them;
// a typo gets the closest names, not the whole list.
import {NotFoundError} from '../errors.js'
import {closestMatch, editDistance} from '../text/closest.js'

/** The index of the named migration, or a NOT_FOUND error naming the closest ones. */
export function resolveBaselineTarget(names: readonly string[], wanted: string): number {
  const index = names.findIndex((name) => name === wanted || name.split('_')[0] === wanted)
  if (index !== -1) return index
  const closest = closestNames(names, wanted)
  const best = closestMatch(wanted, names) ?? closest[0]
  throw new NotFoundError(`No migration is named "${wanted}".`, {
    reason:
      names.length === 0
        ? 'There are no migrations.'
        : `The closest ${closest.length === 1 ? 'name is' : 'names are'}: ${closest.join(', ')}.`,
    next: best ? [`storybook integrate-migrations --baseline ${best}`, 'storybook db status'] : ['storybook db status'],
    details: {closest},
  })
}

/** Up to three names nearest to `wanted`: by edit distance to the whole name and to its number. */
function closestNames(names: readonly string[], wanted: string): string[] {
  const distance = (name: string) =>
    Math.min(
      editDistance(wanted, name),
      editDistance(wanted, name.split('_')[0] ?? name),
      editDistance(wanted, name.slice(5)),
    )
  return [...names].sort((a, b) => distance(a) - distance(b)).slice(0, 3)
}
