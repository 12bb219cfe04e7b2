import {Link} from 'react-router'

export function NotFoundPage() {
  return (
    <main id="main" className="page">
      <h1>No such page</h1>
      <p>
        <Link to="/">Back to your studio</Link>
      </p>
    </main>
  )
}
