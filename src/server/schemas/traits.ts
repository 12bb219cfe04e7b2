// The trait catalog's rules as JSON Schema, built from the catalog itself: which categories exist,
// which are required, the values each allows, one value or a few distinct ones. The OpenAPI
// document shows them, Ajv checks them, and catalog.ts's traitProblems says the same in words.
import {Type, type TSchema} from '@sinclair/typebox'
import {TRAIT_CATALOG, type TraitCategory, type Traits} from '../catalog.js'

function categorySchema(category: TraitCategory): TSchema {
  const choice = Type.Unsafe<string>({type: 'string', enum: category.options.map((option) => option.id)})
  if (category.kind === 'one') return Type.Unsafe<string>({...choice, description: category.label})
  // traitProblems takes a lone value as a list of one.
  const list = Type.Array(choice, {uniqueItems: true, ...(category.max === undefined ? {} : {maxItems: category.max})})
  return Type.Union([choice, list], {description: `${category.label}: one value or a list of distinct values`})
}

/** A character's traits: only the catalog's categories and values (GET /api/catalog/traits lists them). */
export const TraitsSchema = Type.Unsafe<Traits>(
  Type.Object(
    Object.fromEntries(
      TRAIT_CATALOG.map((category) => [
        category.id,
        category.required ? categorySchema(category) : Type.Optional(categorySchema(category)),
      ]),
    ),
    {additionalProperties: false, description: 'Values from GET /api/catalog/traits'},
  ),
)
