// The dashboard after login: counts, galleries of characters and stories, what was edited last,
// quick actions, and a welcome for someone who has nothing yet.
import {useEffect} from 'react'
import {Link} from 'react-router'
import type {Character, Story} from '../api/client'
import {AuthImage} from '../components/AuthImage'
import {ErrorNotice, Loading} from '../components/Status'
import {StoryCover} from '../components/StoryCover'
import {useCharacters} from '../store/characters'
import {useSession} from '../store/session'
import {useStories} from '../store/stories'

const GALLERY_SIZE = 6
const RECENT_SIZE = 5

type Recent = {kind: 'character'; item: Character; at: string} | {kind: 'story'; item: Story; at: string}

export function recentlyEdited(
  characters: readonly Character[],
  stories: readonly Story[],
  count = RECENT_SIZE,
): Recent[] {
  const all: Recent[] = [
    ...characters.map((item) => ({kind: 'character' as const, item, at: item.updatedAt})),
    ...stories.map((item) => ({kind: 'story' as const, item, at: item.updatedAt})),
  ]
  return all.sort((a, b) => b.at.localeCompare(a.at)).slice(0, count)
}

function QuickActions() {
  return (
    <section aria-labelledby="quick-actions">
      <h2 id="quick-actions">Quick actions</h2>
      <div className="actions">
        <Link className="button primary" to="/characters/new">
          New character
        </Link>
        <Link className="button primary" to="/stories/new">
          New story
        </Link>
        <Link className="button secondary" to="/characters">
          All characters
        </Link>
        <Link className="button secondary" to="/stories">
          All stories
        </Link>
      </div>
    </section>
  )
}

function Welcome({name}: {name: string}) {
  return (
    <section className="welcome" aria-labelledby="welcome">
      <h2 id="welcome">Welcome, {name}!</h2>
      <p>Stories here start with their characters. Three steps to your first printed book:</p>
      <ol>
        <li>Create a character: a name, a look and a personality.</li>
        <li>Make a story with it: pick a theme and an age, and the pictures are drawn for you.</li>
        <li>Edit the pages, put them in order, and download the PDF.</li>
      </ol>
      <Link className="button primary large" to="/characters/new">
        Create your first character
      </Link>
    </section>
  )
}

function CharacterGallery({items}: {items: readonly Character[]}) {
  return (
    <ul className="gallery" aria-label="Latest characters">
      {items.map((character) => (
        <li key={character.id} className="card">
          <AuthImage src={character.portraitUrl} alt={`Portrait of ${character.name}`} width={160} height={160} />
          <span className="card-title">{character.name}</span>
        </li>
      ))}
    </ul>
  )
}

function StoryGallery({items}: {items: readonly Story[]}) {
  return (
    <ul className="gallery" aria-label="Latest stories">
      {items.map((story) => (
        <li key={story.id} className="card">
          <Link to={`/stories/${story.id}`} className="card-link">
            <StoryCover story={story} width={240} height={180} />
            <span className="card-title">{story.title}</span>
            <span className="card-meta">
              {story.pageCount} {story.pageCount === 1 ? 'page' : 'pages'} · {story.status}
            </span>
          </Link>
        </li>
      ))}
    </ul>
  )
}

export function DashboardPage() {
  const user = useSession((state) => state.user)
  const characters = useCharacters()
  const stories = useStories()
  const loadCharacters = characters.load
  const loadStories = stories.load

  useEffect(() => {
    void loadCharacters()
    void loadStories()
  }, [loadCharacters, loadStories])

  const loading = [characters.status, stories.status].some((status) => status === 'loading' || status === 'idle')
  const error = characters.error ?? stories.error
  const empty = characters.total === 0 && stories.total === 0
  const retry = () => {
    void loadCharacters()
    void loadStories()
  }

  return (
    <main id="main" className="page dashboard">
      <h1>Your studio</h1>
      {error ? (
        <ErrorNotice message={error} onRetry={retry} />
      ) : loading && empty ? (
        <Loading label="Loading your characters and stories…" />
      ) : empty ? (
        <Welcome name={user?.displayName ?? 'there'} />
      ) : (
        <>
          <dl className="counts">
            <div>
              <dt>Characters</dt>
              <dd>{characters.total}</dd>
            </div>
            <div>
              <dt>Stories</dt>
              <dd>{stories.total}</dd>
            </div>
            <div>
              <dt>Pages written</dt>
              <dd>{stories.items.reduce((sum, story) => sum + story.pageCount, 0)}</dd>
            </div>
          </dl>
          <QuickActions />
          <section aria-labelledby="recent">
            <h2 id="recent">Recently edited</h2>
            <ul className="recent">
              {recentlyEdited(characters.items, stories.items).map((entry) => (
                <li key={`${entry.kind}:${entry.item.id}`}>
                  {entry.kind === 'story' ? (
                    <Link to={`/stories/${entry.item.id}`}>{entry.item.title}</Link>
                  ) : (
                    <Link to="/characters">{entry.item.name}</Link>
                  )}{' '}
                  <span className="card-meta">
                    {entry.kind} · <time dateTime={entry.at}>{new Date(entry.at).toLocaleString()}</time>
                  </span>
                </li>
              ))}
            </ul>
          </section>
          <section aria-labelledby="characters-heading">
            <h2 id="characters-heading">Characters</h2>
            {characters.total === 0 ? (
              <p>
                No characters yet. <Link to="/characters/new">Create one</Link>.
              </p>
            ) : (
              <CharacterGallery items={characters.items.slice(0, GALLERY_SIZE)} />
            )}
          </section>
          <section aria-labelledby="stories-heading">
            <h2 id="stories-heading">Stories</h2>
            {stories.total === 0 ? (
              <p>
                No stories yet. <Link to="/stories/new">Make one</Link>.
              </p>
            ) : (
              <StoryGallery items={stories.items.slice(0, GALLERY_SIZE)} />
            )}
          </section>
        </>
      )}
    </main>
  )
}
