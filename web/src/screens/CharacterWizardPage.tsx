// The character wizard: basics, looks, personality, then a preview and save. Every choice lives in
// the draft store (sessionStorage), so Back, Next and a reload keep it.
import {zodResolver} from '@hookform/resolvers/zod'
import {useEffect, useMemo, useState} from 'react'
import {useForm} from 'react-hook-form'
import {useNavigate} from 'react-router'
import {api, call, type CharacterTraits} from '../api/client'
import {describeError} from '../api/errors'
import {TextAreaField, TextField} from '../components/Field'
import {LivePreview} from '../components/LivePreview'
import {ErrorNotice, Loading} from '../components/Status'
import {traitErrors, TraitPicker} from '../components/TraitPicker'
import {useStepCheck, Wizard, type WizardStep} from '../components/Wizard'
import {useCharacterDraft} from '../store/character-draft'
import {useCharacters, type TraitCategory} from '../store/characters'
import {basicsSchema, type BasicsValues} from './character-basics'
import {reportInteraction} from '../metrics'

/** The categories of the looks step; the others make up the personality step. */
const LOOKS = new Set(['ageGroup', 'species', 'hair', 'clothing'])

export function BasicsStep() {
  const {name, description, setBasics} = useCharacterDraft()
  const {register, trigger, watch, formState} = useForm<BasicsValues>({
    resolver: zodResolver(basicsSchema),
    defaultValues: {name, description},
    mode: 'onChange',
  })
  // Every keystroke goes to the draft: the step can unmount (Back, Next, a reload) without loss.
  useEffect(() => {
    const subscription = watch((values) => setBasics({name: values.name ?? '', description: values.description ?? ''}))
    return () => subscription.unsubscribe()
  }, [watch, setBasics])
  useStepCheck(() => trigger())
  return (
    <form noValidate onSubmit={(event) => event.preventDefault()}>
      <TextField
        label="Name"
        autoComplete="off"
        registration={register('name')}
        error={formState.errors.name?.message}
      />
      <TextAreaField
        label="Description (optional)"
        hint="A sentence or two: who they are, what they love."
        rows={3}
        registration={register('description')}
        error={formState.errors.description?.message}
      />
    </form>
  )
}

export function TraitsStep({categories}: {categories: readonly TraitCategory[]}) {
  const {traits, choose, toggle} = useCharacterDraft()
  const [checked, setChecked] = useState(false)
  const errors = checked ? traitErrors(categories, traits) : {}
  useStepCheck(() => {
    setChecked(true)
    return Object.keys(traitErrors(categories, traits)).length === 0
  })
  return (
    <div className="trait-step">
      {categories.map((category) => (
        <TraitPicker
          key={category.id}
          category={category}
          value={traits[category.id]}
          error={errors[category.id]}
          onChoose={(value) => choose(category.id, value)}
          onToggle={(value) => toggle(category.id, value)}
        />
      ))}
    </div>
  )
}

function Summary({catalog}: {catalog: readonly TraitCategory[]}) {
  const {name, description, traits} = useCharacterDraft()
  const labelOf = (category: TraitCategory, id: string) =>
    category.options.find((option) => option.id === id)?.label ?? id
  return (
    <dl className="summary">
      <div>
        <dt>Name</dt>
        <dd>{name}</dd>
      </div>
      {description && (
        <div>
          <dt>Description</dt>
          <dd>{description}</dd>
        </div>
      )}
      {catalog.map((category) => {
        const value = traits[category.id]
        if (value === undefined) return null
        const values = Array.isArray(value) ? value : [value]
        return (
          <div key={category.id}>
            <dt>{category.label}</dt>
            <dd>{values.map((id) => labelOf(category, id)).join(', ')}</dd>
          </div>
        )
      })}
    </dl>
  )
}

export function CharacterWizardPage() {
  const navigate = useNavigate()
  const draft = useCharacterDraft()
  const {catalog, catalogError, loadCatalog, added} = useCharacters()
  const [saving, setSaving] = useState(false)
  const [failure, setFailure] = useState<string | null>(null)
  useEffect(() => {
    void loadCatalog()
  }, [loadCatalog])

  const steps = useMemo<WizardStep[]>(() => {
    if (!catalog) return []
    return [
      {id: 'basics', title: 'Name and description', content: <BasicsStep />},
      {id: 'looks', title: 'Looks', content: <TraitsStep categories={catalog.filter((c) => LOOKS.has(c.id))} />},
      {
        id: 'personality',
        title: 'Personality',
        content: <TraitsStep categories={catalog.filter((c) => !LOOKS.has(c.id))} />,
      },
      {id: 'preview', title: 'Preview and save', content: <Summary catalog={catalog} />},
    ]
  }, [catalog])

  const save = async () => {
    setSaving(true)
    setFailure(null)
    try {
      const {name, description, traits} = useCharacterDraft.getState()
      // The looks and personality steps have checked the traits against the catalog.
      const body = {name: name.trim(), description, traits: traits as CharacterTraits}
      const character = await call(() => api.POST('/api/characters', {body}))
      added(character)
      reportInteraction('character-wizard', true)
      useCharacterDraft.getState().reset()
      navigate('/characters', {state: {notice: `${character.name} is ready for a story.`}})
    } catch (error) {
      reportInteraction('character-wizard', false)
      setFailure(describeError(error))
    } finally {
      setSaving(false)
    }
  }

  const ready = typeof draft.traits.ageGroup === 'string' && typeof draft.traits.species === 'string'
  return (
    <main id="main" className="page">
      <h1>New character</h1>
      {catalogError && <ErrorNotice message={catalogError} onRetry={() => void loadCatalog()} />}
      {!catalog && !catalogError && <Loading label="Loading the traits…" />}
      {catalog && (
        <div className="wizard-layout">
          <Wizard
            label="Create a character"
            steps={steps}
            current={draft.step}
            onStepChange={draft.setStep}
            finishLabel={saving ? 'Saving…' : 'Save character'}
            onFinish={save}
            busy={saving}
          />
          {draft.step > 0 && <LivePreview name={draft.name} traits={draft.traits} ready={ready} />}
        </div>
      )}
      {failure && <ErrorNotice message={failure} />}
    </main>
  )
}
