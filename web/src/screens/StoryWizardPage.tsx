// The story wizard: pick characters, say what the story is about and for which age, then write it
// and watch its pictures being drawn. The draft (and the job being watched) survive a reload.
import {zodResolver} from '@hookform/resolvers/zod'
import {useEffect, useMemo, useState} from 'react'
import {useForm} from 'react-hook-form'
import {Link, useNavigate} from 'react-router'
import {api, call, type Job} from '../api/client'
import {describeError} from '../api/errors'
import {AuthImage} from '../components/AuthImage'
import {TextField} from '../components/Field'
import {isFinished, JobProgress, useJob} from '../components/JobProgress'
import {ErrorNotice, Loading} from '../components/Status'
import {useStepCheck, Wizard, type WizardStep} from '../components/Wizard'
import {useCharacters} from '../store/characters'
import {TARGET_AGES, useSettings} from '../store/settings'
import {MAX_STORY_CHARACTERS, useStoryDraft} from '../store/story-draft'
import {useStories} from '../store/stories'
import {storyDetailsSchema, type StoryDetailsValues} from './story-details'
import {reportInteraction} from '../metrics'

function CharactersStep() {
  const {items, status, error, load} = useCharacters()
  const {characterIds, toggleCharacter} = useStoryDraft()
  const [checked, setChecked] = useState(false)
  useEffect(() => {
    if (status === 'idle') void load()
  }, [status, load])
  useStepCheck(() => {
    setChecked(true)
    return useStoryDraft.getState().characterIds.length > 0
  })
  if (status === 'error' && error) return <ErrorNotice message={error} onRetry={() => void load()} />
  if (items.length === 0 && status !== 'ready') return <Loading label="Loading your characters…" />
  if (items.length === 0) {
    return (
      <p>
        A story needs a character first. <Link to="/characters/new">Create one</Link>, then come back: this story waits.
      </p>
    )
  }
  const full = characterIds.length >= MAX_STORY_CHARACTERS
  return (
    <fieldset className="trait-picker" aria-describedby="story-characters-hint">
      <legend>Characters in the story</legend>
      <p id="story-characters-hint" className="hint">
        Choose up to {MAX_STORY_CHARACTERS}.
      </p>
      <div className="tiles">
        {items.map((character) => {
          const selected = characterIds.includes(character.id)
          return (
            <label key={character.id} className={`tile${selected ? ' selected' : ''}`}>
              <input
                type="checkbox"
                checked={selected}
                disabled={full && !selected}
                onChange={() => toggleCharacter(character.id)}
              />
              <AuthImage src={character.portraitUrl} alt="" width={96} height={96} />
              <span className="tile-label">{character.name}</span>
            </label>
          )
        })}
      </div>
      {checked && characterIds.length === 0 && (
        <p className="field-error" role="alert">
          Pick at least one character.
        </p>
      )}
    </fieldset>
  )
}

function DetailsStep() {
  const draft = useStoryDraft()
  const defaultAge = useSettings((state) => state.defaultTargetAge)
  const {register, trigger, watch, formState} = useForm<StoryDetailsValues>({
    resolver: zodResolver(storyDetailsSchema),
    defaultValues: {
      title: draft.title,
      theme: draft.theme,
      targetAge: draft.targetAge ?? defaultAge,
      pageCount: draft.pageCount,
    },
    mode: 'onChange',
  })
  const setDetails = draft.setDetails
  useEffect(() => {
    const subscription = watch((values) =>
      setDetails({
        title: values.title ?? '',
        theme: values.theme ?? '',
        targetAge: values.targetAge ?? null,
        ...(Number.isFinite(values.pageCount) ? {pageCount: values.pageCount as number} : {}),
      }),
    )
    return () => subscription.unsubscribe()
  }, [watch, setDetails])
  useEffect(() => {
    if (!useStoryDraft.getState().targetAge) setDetails({targetAge: defaultAge})
  }, [defaultAge, setDetails])
  useStepCheck(() => trigger())
  const {errors} = formState
  return (
    <form noValidate onSubmit={(event) => event.preventDefault()}>
      <TextField label="Title" autoComplete="off" registration={register('title')} error={errors.title?.message} />
      <TextField
        label="Theme (optional)"
        hint="What happens: a trip to the sea, a lost kite, a first day at school…"
        autoComplete="off"
        registration={register('theme')}
        error={errors.theme?.message}
      />
      <fieldset className="radio-row">
        <legend>Reader's age</legend>
        {TARGET_AGES.map((age) => (
          <label key={age} className="chip">
            <input type="radio" value={age} {...register('targetAge')} />
            {age}
          </label>
        ))}
        {errors.targetAge && <p className="field-error">{errors.targetAge.message}</p>}
      </fieldset>
      <TextField
        label="Pages"
        type="number"
        min={1}
        max={24}
        inputMode="numeric"
        registration={register('pageCount', {valueAsNumber: true})}
        error={errors.pageCount?.message}
      />
    </form>
  )
}

function GenerateStep({job, error}: {job: Job | null; error: string | null}) {
  const {title, characterIds, targetAge, pageCount, jobId} = useStoryDraft()
  const names = useCharacters((state) => state.items)
    .filter((character) => characterIds.includes(character.id))
    .map((character) => character.name)
  return (
    <div>
      <p>
        <strong>{title}</strong>: {pageCount} pages for ages {targetAge}
        {names.length > 0 ? `, with ${names.join(', ')}` : ''}.
      </p>
      {jobId ? (
        <JobProgress job={job} error={error} />
      ) : (
        <p>The story is written first, then its pictures are drawn.</p>
      )}
      {isFinished(job) && <p>Open the editor to change the words, reorder the pages or download the PDF.</p>}
    </div>
  )
}

export function StoryWizardPage() {
  const navigate = useNavigate()
  const draft = useStoryDraft()
  const [busy, setBusy] = useState(false)
  const [failure, setFailure] = useState<string | null>(null)
  const {job, error: jobError} = useJob(draft.jobId)

  const steps = useMemo<WizardStep[]>(
    () => [
      {id: 'characters', title: 'Characters', content: <CharactersStep />},
      {id: 'details', title: 'Title, theme and age', content: <DetailsStep />},
      {id: 'generate', title: 'Write and illustrate', content: <GenerateStep job={job} error={jobError} />},
    ],
    [job, jobError],
  )

  const generate = async () => {
    const state = useStoryDraft.getState()
    if (state.storyId && isFinished(job)) {
      const storyId = state.storyId
      state.reset()
      void useStories.getState().load()
      navigate(`/stories/${storyId}`)
      return
    }
    setBusy(true)
    setFailure(null)
    try {
      let storyId = state.storyId
      if (!storyId) {
        const story = await call(() =>
          api.POST('/api/stories', {
            body: {
              title: state.title.trim(),
              theme: state.theme,
              targetAge: state.targetAge ?? '3-5',
              characterIds: state.characterIds,
              generatePages: state.pageCount,
            },
          }),
        )
        storyId = story.id
        state.started({storyId, jobId: null})
      }
      const started = await call(() => api.POST('/api/stories/{id}/illustrations', {params: {path: {id: storyId}}}))
      useStoryDraft.getState().started({storyId, jobId: started.id})
      reportInteraction('story-wizard', true)
    } catch (error) {
      reportInteraction('story-wizard', false)
      setFailure(describeError(error))
    } finally {
      setBusy(false)
    }
  }

  const watching = draft.jobId !== null && !isFinished(job)
  return (
    <main id="main" className="page">
      <h1>New story</h1>
      <Wizard
        label="Make a story"
        steps={steps}
        current={draft.step}
        onStepChange={draft.setStep}
        finishLabel={
          draft.storyId && isFinished(job)
            ? 'Open in the editor'
            : busy
              ? 'Writing…'
              : watching
                ? 'Drawing…'
                : 'Write and illustrate'
        }
        onFinish={generate}
        busy={busy || watching}
      />
      {failure && <ErrorNotice message={failure} />}
    </main>
  )
}
