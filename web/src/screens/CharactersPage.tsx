// Every character, in a windowed list that stays fast with hundreds, with a filter by name.
import {useDeferredValue, useEffect, useMemo, useState} from 'react'
import {Link, useLocation} from 'react-router'
import type {Character} from '../api/client'
import {AuthImage} from '../components/AuthImage'
import {ErrorNotice, Loading} from '../components/Status'
import {VirtualList} from '../components/VirtualList'
import {useCharacters} from '../store/characters'

const ROW_HEIGHT = 88

function traitSummary(character: Character): string {
  return Object.values(character.traits).flat().slice(0, 5).join(', ')
}

export function CharactersPage() {
  const {items, total, status, error, load} = useCharacters()
  const notice = (useLocation().state as {notice?: string} | null)?.notice
  const [filter, setFilter] = useState('')
  const deferred = useDeferredValue(filter.trim().toLowerCase())
  useEffect(() => {
    void load()
  }, [load])
  const shown = useMemo(
    () => (deferred ? items.filter((character) => character.name.toLowerCase().includes(deferred)) : items),
    [items, deferred],
  )
  return (
    <main id="main" className="page">
      <div className="page-heading">
        <h1>Characters</h1>
        <Link className="button primary" to="/characters/new">
          New character
        </Link>
      </div>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <div className="field inline">
        <label htmlFor="character-filter">Filter by name</label>
        <input id="character-filter" type="search" value={filter} onChange={(event) => setFilter(event.target.value)} />
      </div>
      {status === 'error' && error && <ErrorNotice message={error} onRetry={() => void load()} />}
      {status === 'loading' && items.length === 0 && <Loading label="Loading your characters…" />}
      {status === 'ready' && total === 0 && (
        <p>
          No characters yet. <Link to="/characters/new">Create your first one</Link>.
        </p>
      )}
      {items.length > 0 && (
        <>
          <p role="status">
            {shown.length === items.length
              ? `${items.length} characters`
              : `${shown.length} of ${items.length} characters`}
          </p>
          <VirtualList
            items={shown}
            rowHeight={ROW_HEIGHT}
            height={Math.min(shown.length * ROW_HEIGHT, 560)}
            label="Your characters"
            getKey={(character) => character.id}
            renderRow={(character) => (
              <div className="row">
                <AuthImage src={character.portraitUrl} alt={`Portrait of ${character.name}`} width={72} height={72} />
                <div>
                  <p className="row-title">{character.name}</p>
                  <p className="row-meta">{traitSummary(character)}</p>
                </div>
              </div>
            )}
          />
        </>
      )}
    </main>
  )
}
