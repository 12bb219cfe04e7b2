// The Prompter that asks a person at a terminal, through @inquirer/prompts on stderr
// (stdout stays clean). Imported only when a prompt is really needed.
import type {Prompter, ValueQuestion} from '../../services/env-setup.js'

export async function createInquirerPrompter(): Promise<Prompter> {
  const {input, password} = await import('@inquirer/prompts')
  const context = {output: process.stderr}
  const label = (question: ValueQuestion) =>
    `${question.spec.key} (${question.spec.description})${question.replacingInvalid ? ' [current value is invalid]' : ''}`
  return {
    askValue: (question) =>
      input(
        {
          message: label(question),
          ...(question.suggestion === undefined ? {} : {default: question.suggestion}),
          validate: question.validate,
        },
        context,
      ),
    askSecret: async (question) => {
      const answer = await password(
        {
          message: `${label(question)}; leave empty to generate one`,
          mask: '*',
          validate: (value) => value === '' || question.validate(value),
        },
        context,
      )
      return answer === '' ? undefined : answer
    },
  }
}
