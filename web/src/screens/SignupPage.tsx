// Sign up: an account and a session in one step, then the dashboard's welcome.
import {zodResolver} from '@hookform/resolvers/zod'
import {useState} from 'react'
import {useForm} from 'react-hook-form'
import {Link, useNavigate} from 'react-router'
import {api, call} from '../api/client'
import {describeError} from '../api/errors'
import {TextField} from '../components/Field'
import {ErrorNotice} from '../components/Status'
import {useSession} from '../store/session'
import {signupSchema, type SignupValues} from './auth-forms'
import {reportInteraction} from '../metrics'

export function SignupPage() {
  const navigate = useNavigate()
  const signIn = useSession((state) => state.signIn)
  const [failure, setFailure] = useState<string | null>(null)
  const {register, handleSubmit, formState} = useForm<SignupValues>({
    resolver: zodResolver(signupSchema),
    defaultValues: {displayName: '', email: '', password: ''},
    mode: 'onTouched',
  })
  const {errors, isSubmitting} = formState

  const submit = handleSubmit(async (values) => {
    setFailure(null)
    try {
      signIn(await call(() => api.POST('/api/auth/register', {body: values})))
      reportInteraction('signup', true)
      navigate('/', {replace: true})
    } catch (error) {
      reportInteraction('signup', false)
      setFailure(describeError(error))
    }
  })

  return (
    <main className="auth-page" id="main">
      <h1>Create your account</h1>
      <form onSubmit={submit} noValidate aria-busy={isSubmitting}>
        <TextField
          label="Your name"
          autoComplete="name"
          registration={register('displayName')}
          error={errors.displayName?.message}
        />
        <TextField
          label="Email"
          type="email"
          autoComplete="email"
          registration={register('email')}
          error={errors.email?.message}
        />
        <TextField
          label="Password"
          type="password"
          autoComplete="new-password"
          hint="At least 8 characters."
          registration={register('password')}
          error={errors.password?.message}
        />
        {failure && <ErrorNotice message={failure} />}
        <button type="submit" className="button primary" disabled={isSubmitting}>
          {isSubmitting ? 'Creating your account…' : 'Sign up'}
        </button>
      </form>
      <p>
        Have an account? <Link to="/login">Log in</Link>
      </p>
    </main>
  )
}
