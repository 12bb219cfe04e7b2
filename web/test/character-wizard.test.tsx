// The character wizard: inline validation, the trait tiles, the live preview, and its draft kept
// across a remount (what a reload does: fresh memory, the same sessionStorage).
import {screen, waitFor} from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import {beforeEach, describe, expect, it} from 'vitest'
import {useCharacterDraft} from '../src/store/character-draft'
import {useSettings} from '../src/store/settings'
import {CATALOG, fakeApi, json, svg} from './fake-api'
import {reloadStore, renderRoute, signIn} from './render'

function fakeCharacterApi() {
  return fakeApi({
    'GET /api/catalog/traits': () => json(200, CATALOG),
    'POST /api/characters/preview': () => svg(),
    'GET /api/characters': () => json(200, {items: [], total: 0}),
  })
}

const checked = (name: string) => (screen.getByRole('radio', {name}) as HTMLInputElement).checked

async function fillBasics(user: ReturnType<typeof userEvent.setup>) {
  await user.type(await screen.findByLabelText('Name'), 'Pip')
  await user.click(screen.getByRole('button', {name: 'Next'}))
  await screen.findByText('Step 2 of 4')
}

describe('character wizard', () => {
  beforeEach(signIn)

  it('says inline what is missing and stays on the step', async () => {
    fakeCharacterApi()
    const user = userEvent.setup()
    renderRoute('/characters/new')
    await user.click(await screen.findByRole('button', {name: 'Next'}))
    expect(await screen.findByText('Give your character a name.')).toBeTruthy()
    expect(screen.getByLabelText('Name').getAttribute('aria-invalid')).toBe('true')
    expect(screen.getByText('Step 1 of 4')).toBeTruthy()

    await user.type(screen.getByLabelText('Name'), 'Pip')
    await waitFor(() => expect(screen.queryByText('Give your character a name.')).toBeNull())
    await user.click(screen.getByRole('button', {name: 'Next'}))
    await screen.findByText('Step 2 of 4')

    await user.click(screen.getByRole('button', {name: 'Next'}))
    expect(await screen.findByText('Choose the age group.')).toBeTruthy()
    expect(screen.getByText('Choose the species.')).toBeTruthy()
    expect(screen.getByText('Step 2 of 4')).toBeTruthy()
  })

  it('picks traits from picture tiles, one per single-choice category, and draws the preview with them', async () => {
    const {requests} = fakeCharacterApi()
    const user = userEvent.setup()
    renderRoute('/characters/new')
    await fillBasics(user)

    // Tiles are radio buttons with a picture and a label, not a drop-down.
    expect(screen.queryByRole('combobox')).toBeNull()
    const fox = screen.getByRole('radio', {name: 'Fox'})
    expect(fox.closest('label')?.querySelector('img, .tile-placeholder')).toBeTruthy()
    await user.click(fox)
    await user.click(screen.getByRole('radio', {name: 'Child'}))
    expect(checked('Fox')).toBe(true)
    await user.click(screen.getByRole('radio', {name: 'Human'}))
    expect([checked('Fox'), checked('Human')]).toEqual([false, true])
    await user.click(fox)

    await waitFor(() =>
      expect(
        requests.some(
          (request) =>
            request.path === '/api/characters/preview' &&
            JSON.stringify(request.body) === JSON.stringify({name: 'Pip', traits: {species: 'fox', ageGroup: 'child'}}),
        ),
      ).toBe(true),
    )
    expect(await screen.findByRole('img', {name: 'Preview of Pip'})).toBeTruthy()

    await user.click(screen.getByRole('button', {name: 'Next'}))
    await screen.findByText('Step 3 of 4')
  })

  it('lets a multiple-choice category take up to its maximum and no more', async () => {
    fakeCharacterApi()
    const user = userEvent.setup()
    useCharacterDraft.setState({name: 'Pip', step: 2, traits: {ageGroup: 'child', species: 'fox'}})
    renderRoute('/characters/new')
    await user.click(await screen.findByRole('checkbox', {name: 'Brave'}))
    await user.click(screen.getByRole('checkbox', {name: 'Kind'}))
    expect((screen.getByRole('checkbox', {name: 'Shy'}) as HTMLInputElement).disabled).toBe(true)
    expect(screen.getByText(/That is the most you can choose/)).toBeTruthy()
    await user.click(screen.getByRole('checkbox', {name: 'Brave'}))
    expect((screen.getByRole('checkbox', {name: 'Shy'}) as HTMLInputElement).disabled).toBe(false)
    expect(useCharacterDraft.getState().traits.personality).toEqual(['kind'])
  })

  it('keeps the step, the name and the traits across a remount from sessionStorage', async () => {
    fakeCharacterApi()
    const user = userEvent.setup()
    const first = renderRoute('/characters/new')
    await fillBasics(user)
    await user.click(screen.getByRole('radio', {name: 'Fox'}))
    first.unmount()

    // A reload: the stores start from scratch and read back what sessionStorage holds.
    await reloadStore(useCharacterDraft)

    renderRoute('/characters/new')
    expect(await screen.findByText('Step 2 of 4')).toBeTruthy()
    expect(checked('Fox')).toBe(true)
    await user.click(screen.getByRole('button', {name: 'Back'}))
    expect((screen.getByLabelText('Name') as HTMLInputElement).value).toBe('Pip')
  })

  it('keeps the settings in localStorage across a remount', async () => {
    useSettings.getState().update({theme: 'dark', defaultTargetAge: '5-7'})
    await reloadStore(useSettings)
    expect(useSettings.getState()).toMatchObject({theme: 'dark', defaultTargetAge: '5-7'})
  })
})
