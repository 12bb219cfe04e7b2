// Every story, newest edit first, in a windowed list.
import {useEffect} from 'react'
import {Link} from 'react-router'
import {ErrorNotice, Loading} from '../components/Status'
import {StoryCover} from '../components/StoryCover'
import {VirtualList} from '../components/VirtualList'
import {useStories} from '../store/stories'

const ROW_HEIGHT = 96

export function StoriesPage() {
  const {items, total, status, error, load} = useStories()
  useEffect(() => {
    void load()
  }, [load])
  return (
    <main id="main" className="page">
      <div className="page-heading">
        <h1>Stories</h1>
        <Link className="button primary" to="/stories/new">
          New story
        </Link>
      </div>
      {status === 'error' && error && <ErrorNotice message={error} onRetry={() => void load()} />}
      {status === 'loading' && items.length === 0 && <Loading label="Loading your stories…" />}
      {status === 'ready' && total === 0 && (
        <p>
          No stories yet. <Link to="/stories/new">Make your first one</Link>.
        </p>
      )}
      {items.length > 0 && (
        <VirtualList
          items={items}
          rowHeight={ROW_HEIGHT}
          height={Math.min(items.length * ROW_HEIGHT, 576)}
          label="Your stories"
          getKey={(story) => story.id}
          renderRow={(story) => (
            <Link className="row" to={`/stories/${story.id}`}>
              <StoryCover story={story} width={104} height={78} />
              <div>
                <p className="row-title">{story.title}</p>
                <p className="row-meta">
                  {story.pageCount} pages · ages {story.targetAge} · {story.status}
                </p>
              </div>
            </Link>
          )}
        />
      )}
    </main>
  )
}
