// The invitee's details for the chosen slot: name, e-mail, optional phone and notes.
import { h, uniqueId } from '../shared/dom.ts'

export interface InviteeDetails {
  name: string
  email: string
  phone: string | null
  notes: string | null
}

export interface FieldError {
  path: string[]
  message: string
}

function field(
  name: string,
  label: string,
  input: HTMLInputElement | HTMLTextAreaElement,
  errors: Map<string, HTMLElement>,
) {
  input.id = uniqueId(name)
  input.name = name
  const error = h('div', { class: 'field-error', id: `${input.id}-error` })
  input.setAttribute('aria-describedby', error.id)
  errors.set(name, error)
  return h('div', { class: 'field' }, h('label', { for: input.id }, label), input, error)
}

export function bookingForm(onSubmit: (details: InviteeDetails) => Promise<FieldError[] | null>) {
  const errors = new Map<string, HTMLElement>()
  const name = h('input', { type: 'text', autocomplete: 'name', required: true, maxlength: 200 })
  const email = h('input', { type: 'email', autocomplete: 'email', required: true, maxlength: 320 })
  const phone = h('input', { type: 'tel', autocomplete: 'tel', maxlength: 40 })
  const notes = h('textarea', { maxlength: 2000 })
  const submit = h('button', { type: 'submit', class: 'primary-wide' }, 'Confirm booking')
  const form = h(
    'form',
    { class: 'booking-form', 'aria-label': 'Your details', novalidate: true },
    field('name', 'Name', name, errors),
    field('email', 'E-mail', email, errors),
    field('phone', 'Phone (optional)', phone, errors),
    field('notes', 'Anything we should know? (optional)', notes, errors),
    submit,
  )
  const show = (list: FieldError[]) => {
    for (const { path, message } of list) {
      const target = errors.get(path.at(-1) ?? '')
      if (target) target.textContent = message
    }
    const first = list.map((e) => form.querySelector<HTMLElement>(`[name="${e.path.at(-1)}"]`)).find(Boolean)
    first?.setAttribute('aria-invalid', 'true')
    first?.focus()
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    for (const error of errors.values()) error.textContent = ''
    form.querySelectorAll('[aria-invalid]').forEach((el) => el.removeAttribute('aria-invalid'))
    const local: FieldError[] = []
    if (!name.value.trim()) local.push({ path: ['name'], message: 'Please enter your name.' })
    if (!email.validity.valid || !email.value.trim())
      local.push({ path: ['email'], message: 'Please enter a valid e-mail address.' })
    if (local.length) return show(local)
    submit.disabled = true
    submit.textContent = 'Booking…'
    void onSubmit({
      name: name.value.trim(),
      email: email.value.trim(),
      phone: phone.value.trim() || null,
      notes: notes.value.trim() || null,
    }).then((fieldErrors) => {
      submit.disabled = false
      submit.textContent = 'Confirm booking'
      if (fieldErrors?.length) show(fieldErrors)
    })
  })
  return { form, focus: () => name.focus() }
}
