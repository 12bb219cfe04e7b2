// The trait catalog: every choice a character can have, served to the web app and used to
// validate characters. Illustrations are drawn from these same values.

export interface TraitOption {
  id: string
  label: string
}

export interface TraitCategory {
  id: string
  label: string
  /** `one`: a single choice; `many`: up to `max` choices. */
  kind: 'one' | 'many'
  max?: number
  required: boolean
  options: TraitOption[]
}

const options = (...pairs: Array<[string, string]>): TraitOption[] => pairs.map(([id, label]) => ({id, label}))

export const TRAIT_CATALOG: readonly TraitCategory[] = [
  {
    id: 'ageGroup',
    label: 'Age group',
    kind: 'one',
    required: true,
    options: options(
      ['baby', 'Baby'],
      ['child', 'Child'],
      ['teen', 'Teen'],
      ['adult', 'Grown-up'],
      ['elder', 'Grandparent'],
    ),
  },
  {
    id: 'species',
    label: 'Species',
    kind: 'one',
    required: true,
    options: options(
      ['human', 'Human'],
      ['fox', 'Fox'],
      ['cat', 'Cat'],
      ['dog', 'Dog'],
      ['bear', 'Bear'],
      ['rabbit', 'Rabbit'],
      ['owl', 'Owl'],
      ['dragon', 'Dragon'],
      ['robot', 'Robot'],
    ),
  },
  {
    id: 'hair',
    label: 'Hair or fur colour',
    kind: 'one',
    required: false,
    options: options(
      ['black', 'Black'],
      ['brown', 'Brown'],
      ['blonde', 'Blonde'],
      ['red', 'Red'],
      ['orange', 'Orange'],
      ['white', 'White'],
      ['grey', 'Grey'],
      ['blue', 'Blue'],
      ['none', 'None'],
    ),
  },
  {
    id: 'clothing',
    label: 'Clothing',
    kind: 'one',
    required: false,
    options: options(
      ['tshirt', 'T-shirt'],
      ['dress', 'Dress'],
      ['scarf', 'Scarf'],
      ['cape', 'Cape'],
      ['overalls', 'Overalls'],
      ['raincoat', 'Raincoat'],
      ['pyjamas', 'Pyjamas'],
    ),
  },
  {
    id: 'personality',
    label: 'Personality',
    kind: 'many',
    max: 3,
    required: false,
    options: options(
      ['brave', 'Brave'],
      ['curious', 'Curious'],
      ['kind', 'Kind'],
      ['funny', 'Funny'],
      ['shy', 'Shy'],
      ['clever', 'Clever'],
      ['cheeky', 'Cheeky'],
      ['gentle', 'Gentle'],
    ),
  },
  {
    id: 'favouriteThings',
    label: 'Favourite things',
    kind: 'many',
    max: 3,
    required: false,
    options: options(
      ['stars', 'Stars'],
      ['books', 'Books'],
      ['music', 'Music'],
      ['gears', 'Gears'],
      ['flowers', 'Flowers'],
      ['cake', 'Cake'],
      ['the sea', 'The sea'],
      ['trains', 'Trains'],
    ),
  },
]

export type Traits = Record<string, string | string[]>

/** The catalog as lookups, built once: every character write is checked against it. */
const CATEGORIES = new Map(
  TRAIT_CATALOG.map((category) => [
    category.id,
    {category, allowed: new Set(category.options.map((option) => option.id))},
  ]),
)

/** Problems with a traits object, as `category: message` strings; empty when valid. */
export function traitProblems(traits: Traits): string[] {
  const problems: string[] = []
  for (const key of Object.keys(traits)) {
    if (!CATEGORIES.has(key)) problems.push(`${key}: not a trait category`)
  }
  for (const {category, allowed} of CATEGORIES.values()) {
    const value = traits[category.id]
    if (value === undefined) {
      if (category.required) problems.push(`${category.id}: required`)
      continue
    }
    const values = Array.isArray(value) ? value : [value]
    if (category.kind === 'one' && Array.isArray(value)) problems.push(`${category.id}: choose one value`)
    if (category.kind === 'many' && values.length > (category.max ?? Infinity))
      problems.push(`${category.id}: at most ${category.max} values`)
    for (const item of values) {
      if (!allowed.has(item)) problems.push(`${category.id}: "${item}" is not one of ${[...allowed].join(', ')}`)
    }
    if (values.length > 1 && new Set(values).size !== values.length) problems.push(`${category.id}: repeated values`)
  }
  return problems
}
