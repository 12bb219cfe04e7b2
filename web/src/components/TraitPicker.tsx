// Choosing traits from the catalog as picture tiles: radio buttons for a single choice, check boxes
// for several (up to the category's maximum). Native inputs give keyboard use and labels for free;
// each tile shows the portrait the API draws with that choice.
import {memo, useEffect, useState} from 'react'
import {previewUrl} from '../api/preview'
import type {Traits} from '../api/client'
import type {TraitCategory} from '../store/characters'

/** The tiles' model: one look for every tile, so a tile's picture shows only its own choice. */
const TILE_BASE: Traits = {ageGroup: 'child', species: 'human'}
const TILE_SIZE = 96

export interface TraitPickerProps {
  category: TraitCategory
  value: string | string[] | undefined
  error?: string | undefined
  onChoose(value: string): void
  onToggle(value: string): void
}

const TilePicture = memo(function TilePicture({category, option}: {category: string; option: string}) {
  const [url, setUrl] = useState<string | null>(null)
  useEffect(() => {
    let live = true
    const traits = {
      ...TILE_BASE,
      [category]: category === 'personality' || category === 'favouriteThings' ? [option] : option,
    }
    previewUrl(traits).then(
      (objectUrl) => live && setUrl(objectUrl),
      () => {},
    )
    return () => {
      live = false
    }
  }, [category, option])
  return url ? (
    <img src={url} alt="" width={TILE_SIZE} height={TILE_SIZE} loading="lazy" decoding="async" />
  ) : (
    <span className="tile-placeholder" style={{width: TILE_SIZE, height: TILE_SIZE}} aria-hidden="true" />
  )
})

export function TraitPicker({category, value, error, onChoose, onToggle}: TraitPickerProps) {
  const chosen = value === undefined ? [] : Array.isArray(value) ? value : [value]
  const many = category.kind === 'many'
  const full = many && category.max !== undefined && chosen.length >= category.max
  const errorId = `${category.id}-error`
  const hintId = `${category.id}-hint`
  return (
    <fieldset className="trait-picker" aria-describedby={`${hintId}${error ? ` ${errorId}` : ''}`}>
      <legend>
        {category.label}
        {category.required && <span className="required"> (required)</span>}
      </legend>
      <p id={hintId} className="hint">
        {many ? `Choose up to ${category.max ?? category.options.length}.` : 'Choose one.'}
        {full && ' That is the most you can choose: unselect one to pick another.'}
      </p>
      <div className="tiles">
        {category.options.map((option) => {
          const checked = chosen.includes(option.id)
          return (
            <label key={option.id} className={`tile${checked ? ' selected' : ''}`}>
              <input
                type={many ? 'checkbox' : 'radio'}
                name={category.id}
                value={option.id}
                checked={checked}
                disabled={full && !checked}
                onChange={() => (many ? onToggle(option.id) : onChoose(option.id))}
              />
              <TilePicture category={category.id} option={option.id} />
              <span className="tile-label">{option.label}</span>
            </label>
          )
        })}
      </div>
      {error && (
        <p id={errorId} className="field-error" role="alert">
          {error}
        </p>
      )}
    </fieldset>
  )
}

/** The inline errors of the categories shown, before the API is asked. */
export function traitErrors(categories: readonly TraitCategory[], traits: Traits): Record<string, string> {
  const errors: Record<string, string> = {}
  for (const category of categories) {
    const value = traits[category.id]
    const count = value === undefined ? 0 : Array.isArray(value) ? value.length : 1
    if (category.required && count === 0) errors[category.id] = `Choose the ${category.label.toLowerCase()}.`
    else if (category.max !== undefined && count > category.max)
      errors[category.id] = `Choose at most ${category.max} for ${category.label.toLowerCase()}.`
  }
  return errors
}
