// The reusable Wizard: progress indicator, Back and Next keeping input, and step checks.
import {render, screen} from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import {useState} from 'react'
import {describe, expect, it} from 'vitest'
import {useStepCheck, Wizard} from '../src/components/Wizard'

function NameStep({name, setName}: {name: string; setName(name: string): void}) {
  useStepCheck(() => name.trim().length > 0)
  return (
    <label>
      Name
      <input value={name} onChange={(event) => setName(event.target.value)} />
    </label>
  )
}

function Harness({onFinish = () => {}}: {onFinish?: () => void}) {
  const [step, setStep] = useState(0)
  const [name, setName] = useState('')
  const [colour, setColour] = useState('')
  const steps = [
    {id: 'name', title: 'Name', content: <NameStep name={name} setName={setName} />},
    {
      id: 'colour',
      title: 'Colour',
      content: (
        <label>
          Colour
          <input value={colour} onChange={(event) => setColour(event.target.value)} />
        </label>
      ),
    },
    {id: 'done', title: 'Check', content: <p>{`${name} likes ${colour}`}</p>},
  ]
  return (
    <Wizard
      label="Test wizard"
      steps={steps}
      current={step}
      onStepChange={setStep}
      finishLabel="Finish"
      onFinish={onFinish}
    />
  )
}

const currentStep = () =>
  screen.getByRole('list', {name: 'Progress'}).querySelector('[aria-current="step"]')?.textContent

describe('Wizard', () => {
  it('shows which step of how many, and marks the current one in the progress list', async () => {
    const user = userEvent.setup()
    render(<Harness />)
    expect(screen.getByText('Step 1 of 3')).toBeTruthy()
    expect(currentStep()).toContain('Name')
    await user.type(screen.getByLabelText('Name'), 'Pip')
    await user.click(screen.getByRole('button', {name: 'Next'}))
    expect(screen.getByText('Step 2 of 3')).toBeTruthy()
    expect(currentStep()).toContain('Colour')
    expect(screen.getByRole('heading', {name: 'Colour'})).toBe(document.activeElement)
  })

  it('keeps what was typed when going back and forward', async () => {
    const user = userEvent.setup()
    render(<Harness />)
    await user.type(screen.getByLabelText('Name'), 'Pip')
    await user.click(screen.getByRole('button', {name: 'Next'}))
    await user.type(screen.getByLabelText('Colour'), 'green')
    await user.click(screen.getByRole('button', {name: 'Back'}))
    expect((screen.getByLabelText('Name') as HTMLInputElement).value).toBe('Pip')
    await user.click(screen.getByRole('button', {name: 'Next'}))
    expect((screen.getByLabelText('Colour') as HTMLInputElement).value).toBe('green')
    await user.click(screen.getByRole('button', {name: 'Next'}))
    expect(screen.getByText('Pip likes green')).toBeTruthy()
  })

  it("stays on a step whose check fails, and runs the last step's check before finishing", async () => {
    const user = userEvent.setup()
    let finished = 0
    render(<Harness onFinish={() => void finished++} />)
    expect((screen.getByRole('button', {name: 'Back'}) as HTMLButtonElement).disabled).toBe(true)
    await user.click(screen.getByRole('button', {name: 'Next'}))
    expect(screen.getByText('Step 1 of 3')).toBeTruthy()
    await user.type(screen.getByLabelText('Name'), 'Pip')
    await user.click(screen.getByRole('button', {name: 'Next'}))
    await user.click(screen.getByRole('button', {name: 'Next'}))
    expect(finished).toBe(0)
    await user.click(screen.getByRole('button', {name: 'Finish'}))
    expect(finished).toBe(1)
  })
})
