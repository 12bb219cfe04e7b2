// Portraits the API draws for traits that are not saved yet: the wizard's live preview and the
// pictures on the trait tiles. Each distinct request is made once per page load.
import {fetchFile, type Traits} from './client'

const previews = new Map<string, Promise<string>>()

export function previewUrl(traits: Traits, name = ''): Promise<string> {
  const body = JSON.stringify({name, traits})
  let pending = previews.get(body)
  if (!pending) {
    pending = fetchFile('/api/characters/preview', {
      method: 'POST',
      headers: {'content-type': 'application/json'},
      body,
    }).then((blob) => URL.createObjectURL(blob))
    pending.catch(() => previews.delete(body))
    previews.set(body, pending)
  }
  return pending
}
