// Log in. After a session expired, says so, fills in the email and returns to where the user was.
import {zodResolver} from '@hookform/resolvers/zod'
import {useState} from 'react'
import {useForm} from 'react-hook-form'
import {Link, useLocation, useNavigate} from 'react-router'
import {api, call} from '../api/client'
import {describeError, SESSION_EXPIRED_MESSAGE} from '../api/errors'
import {TextField} from '../components/Field'
import {ErrorNotice} from '../components/Status'
import {useSession} from '../store/session'
import {loginSchema, type LoginValues} from './auth-forms'
import {reportInteraction} from '../metrics'

export function LoginPage() {
  const navigate = useNavigate()
  const from = (useLocation().state as {from?: string} | null)?.from
  const {expired, lastEmail, signIn} = useSession()
  const [failure, setFailure] = useState<string | null>(null)
  const {register, handleSubmit, formState} = useForm<LoginValues>({
    resolver: zodResolver(loginSchema),
    defaultValues: {email: lastEmail, password: ''},
    mode: 'onTouched',
  })
  const {errors, isSubmitting} = formState

  const submit = handleSubmit(async (values) => {
    setFailure(null)
    try {
      const session = await call(() => api.POST('/api/auth/login', {body: values}))
      signIn(session)
      reportInteraction('login', true)
      navigate(from ?? '/', {replace: true})
    } catch (error) {
      reportInteraction('login', false)
      setFailure(describeError(error))
    }
  })

  return (
    <main className="auth-page" id="main">
      <h1>Log in</h1>
      {expired && (
        <p className="notice" role="status">
          {SESSION_EXPIRED_MESSAGE}
        </p>
      )}
      <form onSubmit={submit} noValidate aria-busy={isSubmitting}>
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
          autoComplete="current-password"
          registration={register('password')}
          error={errors.password?.message}
        />
        {failure && <ErrorNotice message={failure} />}
        <button type="submit" className="button primary" disabled={isSubmitting}>
          {isSubmitting ? 'Logging in…' : 'Log in'}
        </button>
      </form>
      <p>
        New here? <Link to="/signup">Create an account</Link>
      </p>
    </main>
  )
}
