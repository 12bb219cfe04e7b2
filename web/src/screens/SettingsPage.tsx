// Preferences, kept in this browser (localStorage).
import {useSettings, TARGET_AGES, type Theme} from '../store/settings'

export function SettingsPage() {
  const {theme, defaultTargetAge, confirmDeletes, update} = useSettings()
  return (
    <main id="main" className="page">
      <h1>Settings</h1>
      <p className="hint">These stay in this browser.</p>
      <div className="field">
        <label htmlFor="theme">Colours</label>
        <select id="theme" value={theme} onChange={(event) => update({theme: event.target.value as Theme})}>
          <option value="system">As the system</option>
          <option value="light">Light</option>
          <option value="dark">Dark</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor="default-age">Reader's age for new stories</label>
        <select
          id="default-age"
          value={defaultTargetAge}
          onChange={(event) => update({defaultTargetAge: event.target.value})}
        >
          {TARGET_AGES.map((age) => (
            <option key={age} value={age}>
              {age}
            </option>
          ))}
        </select>
      </div>
      <div className="field checkbox">
        <input
          id="confirm-deletes"
          type="checkbox"
          checked={confirmDeletes}
          onChange={(event) => update({confirmDeletes: event.target.checked})}
        />
        <label htmlFor="confirm-deletes">Ask before deleting a page</label>
      </div>
    </main>
  )
}
