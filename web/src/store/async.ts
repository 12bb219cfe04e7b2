// The loading state every slice keeps for its requests.
export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error'

export interface Loadable {
  status: LoadStatus
  error: string | null
}
