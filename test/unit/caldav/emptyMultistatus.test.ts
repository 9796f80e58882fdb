import { describe, expect, it } from 'vitest'
import { emptyMultistatusToken } from '../../../src/caldav/emptyMultistatus.ts'
import { MalformedXmlError, parseMultistatus } from '../../../src/caldav/xml.ts'

const token = 'https://p42-caldav.icloud.com/sync/1234_5678'

describe('the unchanged sync-collection answer, read without the generic parser', () => {
  const fast = {
    iCloud: `<?xml version="1.0" encoding="UTF-8"?>\n<multistatus xmlns="DAV:"><sync-token>${token}</sync-token></multistatus>`,
    Radicale: `<?xml version='1.0' encoding='utf-8'?>\n<multistatus xmlns="DAV:">\n  <sync-token>${token}</sync-token>\n</multistatus>\n`,
    prefixed: `<d:multistatus xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:sync-token> ${token} </d:sync-token></d:multistatus>`,
    'declared on the token': `<x:multistatus xmlns:x="DAV:"><sync-token xmlns='DAV:'>${token}</sync-token></x:multistatus>`,
  }
  for (const [name, xml] of Object.entries(fast)) {
    it(`${name}: the token, as the generic parser reads it`, () => {
      expect(emptyMultistatusToken(xml)).toBe(token)
      expect(parseMultistatus(xml)).toEqual({ responses: [], syncToken: token })
    })
  }

  it('an empty token is read as empty (the caller refuses it)', () => {
    expect(parseMultistatus('<multistatus xmlns="DAV:"><sync-token></sync-token></multistatus>')).toEqual({
      responses: [],
      syncToken: '',
    })
  })

  const generic = {
    'a response in it': `<multistatus xmlns="DAV:"><response><href>/c/a.ics</href><status>HTTP/1.1 404 Not Found</status></response><sync-token>${token}</sync-token></multistatus>`,
    'an entity in the token': `<multistatus xmlns="DAV:"><sync-token>a&amp;b</sync-token></multistatus>`,
    'a comment': `<multistatus xmlns="DAV:"><!-- x --><sync-token>${token}</sync-token></multistatus>`,
    'another namespace': `<multistatus xmlns="urn:other"><sync-token>${token}</sync-token></multistatus>`,
    'the token in another namespace': `<d:multistatus xmlns:d="DAV:"><sync-token xmlns="urn:x">${token}</sync-token></d:multistatus>`,
    'an undeclared prefix': `<d:multistatus><d:sync-token>${token}</d:sync-token></d:multistatus>`,
    'a duplicate attribute': `<multistatus xmlns="DAV:" xmlns="DAV:"><sync-token>${token}</sync-token></multistatus>`,
    'cut off': `<multistatus xmlns="DAV:"><sync-token>${token}</sync-token>`,
    'mismatched tags': `<multistatus xmlns="DAV:"><sync-token>${token}</sync-tokens></multistatus>`,
  }
  for (const [name, xml] of Object.entries(generic)) {
    it(`${name}: left to the generic parser`, () => expect(emptyMultistatusToken(xml)).toBeNull())
  }

  it('the generic parser still reads or refuses those', () => {
    expect(parseMultistatus(generic['a response in it'])?.responses).toHaveLength(1)
    expect(parseMultistatus(generic['an entity in the token'])?.syncToken).toBe('a&b')
    expect(parseMultistatus(generic['a comment'])?.syncToken).toBe(token)
    expect(parseMultistatus(generic['another namespace'])).toBeNull()
    expect(parseMultistatus(generic['the token in another namespace'])?.syncToken).toBeNull()
    expect(() => parseMultistatus(generic['cut off'])).toThrow(MalformedXmlError)
    expect(() => parseMultistatus(generic['mismatched tags'])).toThrow(MalformedXmlError)
  })
})
