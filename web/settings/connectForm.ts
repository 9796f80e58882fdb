// Connect (Apple ID + app-specific password) and reconnect (a new password), with Apple's steps inline.
import { h, uniqueId } from '../shared/dom.ts'

export interface CredentialsFormOptions {
  /** Reconnect: the Apple ID is fixed. */
  appleId?: string
  submitLabel: string
  onSubmit(values: { appleId: string; appSpecificPassword: string }): Promise<FormFailure | null>
}

export interface FormFailure {
  message: string
  fieldErrors?: { path: string[]; message: string }[]
}

export function howToSteps() {
  return h(
    'div',
    { class: 'how-to' },
    h('h3', {}, 'How to get an app-specific password'),
    h(
      'ol',
      {},
      h(
        'li',
        {},
        'Sign in at ',
        h(
          'a',
          { href: 'https://appleid.apple.com', target: '_blank', rel: 'noopener noreferrer' },
          'appleid.apple.com',
        ),
        ' with your Apple ID.',
      ),
      h('li', {}, 'Open ', h('strong', {}, 'Sign-In and Security › App-Specific Passwords'), '.'),
      h('li', {}, 'Choose ', h('strong', {}, 'Generate'), ' (or +), name it e.g. “CRM Calendar”, and confirm.'),
      h('li', {}, 'Copy the password (xxxx-xxxx-xxxx-xxxx) into the field here. Apple shows it only once.'),
    ),
    h(
      'p',
      { class: 'muted small' },
      'Your normal Apple ID password does not work here (two-factor authentication requires an app-specific one). ',
      'The password is stored encrypted and can be revoked at appleid.apple.com at any time.',
    ),
  )
}

function field(label: string, input: HTMLInputElement, hint?: string) {
  const hintId = hint ? uniqueId('hint') : null
  const errorId = uniqueId('error')
  if (hintId) input.setAttribute('aria-describedby', `${hintId} ${errorId}`)
  else input.setAttribute('aria-describedby', errorId)
  const error = h('div', { class: 'field-error', id: errorId })
  const wrapper = h(
    'div',
    { class: 'field' },
    h('label', { for: input.id }, label),
    input,
    hint ? h('div', { class: 'hint', id: hintId }, hint) : null,
    error,
  )
  return { wrapper, error }
}

export function credentialsForm(options: CredentialsFormOptions): HTMLFormElement {
  const appleId = h('input', {
    id: uniqueId('apple-id'),
    name: 'appleId',
    type: 'email',
    autocomplete: 'username',
    required: true,
    value: options.appleId ?? '',
    readonly: options.appleId !== undefined,
  })
  const password = h('input', {
    id: uniqueId('app-password'),
    name: 'appSpecificPassword',
    type: 'password',
    autocomplete: 'off',
    required: true,
    spellcheck: 'false',
    placeholder: 'xxxx-xxxx-xxxx-xxxx',
  })
  const appleIdField = field('Apple ID', appleId, 'The e-mail address you sign in to iCloud with.')
  const passwordField = field('App-specific password', password, 'Not your Apple ID password: see the steps.')
  const status = h('div', { role: 'alert' })
  const submit = h('button', { type: 'submit' }, options.submitLabel)
  const form = h('form', { class: 'credentials', novalidate: true }, appleIdField.wrapper, passwordField.wrapper)
  form.append(status, h('div', { class: 'row' }, submit))
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    appleIdField.error.textContent = ''
    passwordField.error.textContent = ''
    status.replaceChildren()
    submit.disabled = true
    submit.textContent = 'Checking with iCloud…'
    void options.onSubmit({ appleId: appleId.value.trim(), appSpecificPassword: password.value }).then((failure) => {
      submit.disabled = false
      submit.textContent = options.submitLabel
      if (!failure) return
      status.append(h('div', { class: 'notice error' }, failure.message))
      for (const error of failure.fieldErrors ?? []) {
        const target = error.path.at(-1) === 'appleId' ? appleIdField : passwordField
        target.error.textContent = error.message
      }
      password.focus()
    })
  })
  return form
}
